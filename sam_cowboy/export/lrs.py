"""Sending xAPI statements to a Learning Record Store: batches, retries, one clear error.

`report CODE --format xapi --lrs URL` uses it. Statements go to `URL/statements` as JSON
arrays of at most `batch` statements, with HTTP Basic authentication and the
`X-Experience-API-Version: 1.0.3` header. A batch that meets a network error, 408, 429 or a
5xx is sent again after 1, 2, 4... seconds (or the server's Retry-After), up to `retries`
times; statement ids are stable (UUID v5 of the run and decision), so a batch the LRS had
in fact stored is not duplicated (xAPI: an LRS keeps the first statement of an id). Any other
answer stops with the LRS's own message. The password never appears in a message.

Activity IRIs and the account namespace are configurable (`--iri-base`, `--actor-homepage`):
a real LRS never gets the placeholder `sam-cowboy.invalid` IRIs.
"""

from __future__ import annotations

import base64
import json
import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sam_cowboy.core.safe_text import one_line

PASSWORD_ENV = "SAM_COWBOY_LRS_PASSWORD"
IRI_BASE_ENV = "SAM_COWBOY_IRI_BASE"
PLACEHOLDER = "https://sam-cowboy.invalid/"
RETRYABLE = {408, 429, 500, 502, 503, 504}
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


class LrsError(Exception):
    """The LRS refused the statements or could not be reached; the message says which."""


class LrsOptionError(LrsError):
    """The options cannot work (bad IRI or URL, no password): a usage error."""


@dataclass(frozen=True)
class Sent:
    statements: int
    batches: int
    attempts: int


def safe_url(url: str) -> str:
    """The URL without any user:password part, fit for a message."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def check_base(iri: str, what: str) -> str:
    if not _ABSOLUTE.match(iri) or iri.startswith(PLACEHOLDER):
        raise LrsOptionError(f"{what} `{one_line(iri)}` is not an absolute IRI of yours "
                       "(like https://learning.example.com/sam-cowboy/)")
    return iri if iri.endswith(("/", ":", "#")) else iri + "/"


def rebase(statements: list[dict[str, Any]], iri_base: str | None,
           actor_homepage: str | None) -> list[dict[str, Any]]:
    """The statements with IRIs under `iri_base` instead of the placeholder, and the
    accounts' homePage set to `actor_homepage` (default: `iri_base`)."""
    base = check_base(iri_base, "--iri-base") if iri_base else None
    home = check_base(actor_homepage, "--actor-homepage").rstrip("/") if actor_homepage else None

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {walk(k): walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, str) and base and value.startswith(PLACEHOLDER):
            return base + value[len(PLACEHOLDER):]
        return value

    out = [walk(s) for s in statements]
    for s in out:
        account = s.get("actor", {}).get("account")
        if account is not None and (home or base):
            account["homePage"] = home or (base or "").rstrip("/")
    return out


def _request(url: str, body: bytes, auth: str, timeout: float) -> tuple[int, str, float | None]:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "X-Experience-API-Version": "1.0.3",
        "Authorization": f"Basic {auth}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 (http(s) only)
            return answer.status, "", None
    except urllib.error.HTTPError as e:
        retry_after = e.headers.get("Retry-After") if e.headers else None
        text = e.read(2000).decode("utf-8", "replace")
        delay = float(retry_after) if retry_after and retry_after.isdigit() else None
        return e.code, text, delay


def post_statements(statements: Sequence[dict[str, Any]], url: str, user: str, password: str,
                    batch: int = 50, retries: int = 3, timeout: float = 30.0,
                    sleep: Callable[[float], None] = time.sleep) -> Sent:
    """POST the statements in batches; raise LrsError with one readable line on failure."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise LrsOptionError(f"--lrs `{one_line(url)}` must be an http:// or https:// URL")
    path = urlsplit(url).path.rstrip("/")
    endpoint = url.rstrip("/") if path.endswith("/statements") else url.rstrip("/") + "/statements"
    auth = base64.b64encode(f"{user}:{password}".encode()).decode()
    where = safe_url(endpoint)
    attempts = 0
    batches = [list(statements[i:i + batch]) for i in range(0, len(statements), batch)]
    for n, chunk in enumerate(batches, 1):
        body = json.dumps(chunk, ensure_ascii=False).encode("utf-8")
        for attempt in range(retries + 1):
            attempts += 1
            try:
                status, text, delay = _request(endpoint, body, auth, timeout)
            except OSError as e:  # URLError is an OSError
                reason = getattr(e, "reason", e)
                status, text, delay = 0, f"cannot reach it ({one_line(str(reason))})", None
            if 200 <= status < 300:
                break
            if (status in RETRYABLE or status == 0) and attempt < retries:
                sleep(min(60.0, delay if delay is not None else 2.0 ** attempt))
                continue
            detail = one_line(text.replace(password, "***") if password else text)[:300]
            raise LrsError(f"{where}: batch {n} of {len(batches)} "
                           + (f"refused with HTTP {status}" if status else "failed")
                           + (f": {detail}" if detail else "")
                           + (f" (after {attempt + 1} attempts)" if attempt else ""))
    return Sent(len(statements), len(batches), attempts)


def password_from_environment() -> str:
    """The password, only from $SAM_COWBOY_LRS_PASSWORD: a command line is visible to every
    user of the machine, so there is no option for it."""
    value = os.environ.get(PASSWORD_ENV)
    if value is None:
        raise LrsOptionError(f"--lrs needs a password: set {PASSWORD_ENV}")
    return value


def add_options(p: Any) -> None:
    """The report command's LRS options."""
    p.add_argument("--lrs", metavar="URL", help="xapi: POST the statements to this LRS "
                   "endpoint (its /statements resource) instead of writing them")
    p.add_argument("--lrs-user", metavar="USER", help="LRS user (HTTP Basic)")
    p.add_argument("--lrs-batch", type=int, default=50, metavar="N",
                   help="statements per request (default 50)")
    p.add_argument("--lrs-retries", type=int, default=3, metavar="N",
                   help="retries of a batch after a network error or 408/429/5xx (default 3)")
    p.add_argument("--iri-base", metavar="IRI", help="xapi: base of activity IRIs, e.g. "
                   f"https://learning.example.com/sam-cowboy/ (default ${IRI_BASE_ENV}; "
                   "required with --lrs)")
    # --actor-homepage is report's own option (the server applies it too)


def send_report(args: Any, statements: list[dict[str, Any]]) -> str:
    """Rebase and post a report's statements as the options say; the line to print."""
    iri_base = args.iri_base or os.environ.get(IRI_BASE_ENV)
    if not iri_base:
        raise LrsOptionError(f"--lrs needs --iri-base (or {IRI_BASE_ENV}): the IRIs your "
                       "organisation uses for activities, e.g. https://learning.example.com/"
                       "sam-cowboy/")
    if args.lrs_batch < 1 or args.lrs_retries < 0:
        raise LrsOptionError("--lrs-batch must be at least 1 and --lrs-retries at least 0")
    ready = rebase(statements, iri_base, args.actor_homepage)
    sent = post_statements(ready, args.lrs, args.lrs_user or "", password_from_environment(),
                           batch=args.lrs_batch, retries=args.lrs_retries)
    return (f"{sent.statements} statements sent to {safe_url(args.lrs)} in {sent.batches} "
            f"batches ({sent.attempts} requests)")


def xapi_output(args: Any, text: str) -> str | None:
    """`report --format xapi` with --iri-base/--actor-homepage/--lrs: the statements rebased;
    posted to the LRS when --lrs is given (then None: nothing left to write)."""
    from sam_cowboy.usage import InputError, UsageError

    try:
        if not args.lrs:
            return json.dumps(rebase(json.loads(text), args.iri_base, args.actor_homepage),
                              ensure_ascii=False, indent=2) + "\n"
        if args.output is not None:
            raise LrsOptionError("--lrs sends the statements: leave out -o")
        print(send_report(args, json.loads(text)))
        return None
    except LrsOptionError as e:
        raise UsageError(str(e)) from None
    except LrsError as e:
        raise InputError(str(e)) from None
