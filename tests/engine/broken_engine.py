"""A stand-in for a broken engine, run as its own process: it lists its model as llama.cpp's server does, then
on a completion either never answers (as llama-cpp-python's server did under fastapi 0.165.0) or crashes (as a
llama.cpp build tuned to another CPU did on every prompt longer than one token).

Usage: python -m tests.engine.broken_engine silent|crash PORT
"""

import os
import signal
import sys
import time
from http.server import ThreadingHTTPServer

from tests.engine.stand_in import StandIn


class Broken(StandIn):
    behaviour = sys.argv[1]

    def do_GET(self):  # noqa: N802 - http.server's name
        self.answer(200, {"object": "list", "data": [{"id": "stand-in", "object": "model", "owned_by": "me"}]})

    def do_POST(self):  # noqa: N802
        if self.behaviour == "crash":
            os.kill(os.getpid(), signal.SIGSEGV)
        time.sleep(3600)


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), Broken).serve_forever()
