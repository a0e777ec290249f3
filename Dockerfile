# The same recipe as a newcomer's machine: `make install prepare` builds .venv from the app's lock (the end of
# requirements.txt) and the model cache at build time, `make run` serves. Laid out as Hugging Face Docker Spaces
# expect: user "user" with uid 1000, HOME=/home/user, the app in $HOME/app, port 7860. tests/deploy/test_dockerfile.py
# runs these RUN steps and the CMD without an engine.
FROM python:3.11-slim

# make drives the recipe; nothing else is needed from apt. Versions float with the base image's Debian release,
# which pins them (hadolint DL3008: pinning apt versions breaks as soon as Debian updates the package).
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 user
USER 1000
ENV HOME=/home/user \
    PATH=/home/user/.local/bin:$PATH
WORKDIR /home/user/app

# torch comes from PyTorch's CPU wheel index (the default index's torch pulls a multi-GB CUDA build); change the
# index with --build-arg, e.g. https://download.pytorch.org/whl/cu128 for a CUDA build.
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ENV PIP_EXTRA_INDEX_URL=${TORCH_INDEX_URL} \
    PIP_NO_CACHE_DIR=1 \
    PLAYGROUND_CACHE_DIR=/home/user/app/.model-cache \
    GRADIO_SERVER_NAME=0.0.0.0 \
    GRADIO_SERVER_PORT=7860

COPY --chown=1000:1000 . .

# Install the packages and convert the embedded model at build time, so the container starts fast with no network.
RUN make install prepare

EXPOSE 7860
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:7860/', timeout=4)"]
CMD ["make", "run"]
