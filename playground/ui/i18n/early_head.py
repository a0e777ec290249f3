"""The language switch's script, first in the page's head. Gradio's own `head` is added by its JavaScript after it
has read the browser's language, too late to change it; so the page's HTML gets the script as it is sent."""

from playground.ui.i18n import HEAD

_MARK = b"<head>"


class EarlyHead:
    """ASGI middleware: the script right after `<head>` in every HTML page the app sends; nothing else changes."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "GET":
            return await self.app(scope, receive, send)
        start, body = None, []

        async def sending(message):
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                if not headers.get(b"content-type", b"").startswith(b"text/html"):
                    return await send(message)
                start = message
                return None
            if start is None:
                return await send(message)
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return None
            page = b"".join(body).replace(_MARK, _MARK + HEAD.encode(), 1)
            headers = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
            await send({**start, "headers": headers + [(b"content-length", str(len(page)).encode())]})
            await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, sending)
