"""The CLI's one kind of error: a problem the member can understand and fix."""


class CliError(Exception):
    """Printed as `error: <message>`, exit status 1."""


def response_detail(response) -> str:
    """The one line an error of the API or the relay carries for people (`message`, naming the field if any)."""
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    return str(body.get("message") or body.get("detail") or f"HTTP {response.status_code}")
