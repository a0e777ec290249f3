"""Starting the app the way a deployment does (a subprocess), waiting until it answers, and stopping it."""

import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest


class Served:
    def __init__(self, command: list[str], cwd, env: dict):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process = subprocess.Popen(command, cwd=cwd, env={**env, "GRADIO_SERVER_PORT": str(self.port)},
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        start_new_session=True)
        self.log = None

    def answers(self) -> bool:
        return urllib.request.urlopen(self.url, timeout=5).status == 200

    def wait(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                if self.answers():
                    return
            except OSError:
                pass
            assert self.process.poll() is None, f"the app exited:\n{self.process.communicate()[0][-3000:]}"
            assert time.monotonic() < deadline, "the app did not answer in time"
            time.sleep(1)

    def stop(self) -> str:
        if self.log is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.log = self.process.communicate(timeout=30)[0]
        return self.log


@pytest.fixture
def serve():
    """serve(command, cwd, env) starts the app on a free port (GRADIO_SERVER_PORT) and returns its Served."""
    started = []

    def start(command, cwd, env):
        started.append(Served(command, cwd, env))
        return started[-1]

    yield start
    for served in started:
        served.stop()
