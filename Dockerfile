# The same recipe as a newcomer's machine: `make run` installs into .venv, prepares the model, and serves.
FROM python:3.11-slim

RUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .

# Optional: point pip at a CPU-only torch wheel index to keep the image small (torch is pinned to 2.13.0).
ARG PIP_EXTRA_INDEX_URL=""
ENV PIP_EXTRA_INDEX_URL=${PIP_EXTRA_INDEX_URL} \
    PLAYGROUND_CACHE_DIR=/app/.model-cache \
    GRADIO_SERVER_NAME=0.0.0.0 \
    GRADIO_SERVER_PORT=7860

# Install and convert the embedded model at build time, so the container starts in seconds.
RUN make install prepare

EXPOSE 7860
CMD ["make", "run"]
