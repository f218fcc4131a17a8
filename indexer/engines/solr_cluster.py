"""Talking to a SolrCloud: requests sent to any live node, and its Collections API.

A node that does not answer, or answers that it cannot serve the request now (a
replica it asked is gone), is passed over for a few seconds and the request goes to
the next node, until every node has been tried for `RETRY_SECONDS`. Nothing here
knows Hubbub's documents: `indexer.engines.solr` does.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
import time
import zipfile
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote_plus

import urllib3

from indexer.engines.base import EngineUnavailable
from indexer.errors import HubbubError

CONFIGSET = Path(__file__).resolve().parent / "solr_configset"
RETRY_SECONDS = 8.0
RESTING_SECONDS = 2.0  # a node that failed is tried again only after this
CONNECT_SECONDS = 2.0
READ_SECONDS = 120.0
ADMIN_SECONDS = 300.0  # creating a collection waits for every replica to be up
RETRIED_STATUSES = {502, 503, 504}
REMEMBERED_FIELD_CHARS = 200  # fields this short are encoded once: most repeat
# What Solr says when a node it forwarded to is gone or a shard has no live replica;
# another node, or the same a moment later, can answer.
PASSING_FAILURES = (
    "no servers hosting shard",
    "no active replicas",
    "connection refused",
    "cannot talk to zookeeper",
    "rejected",
    "could not find a healthy node",
    "is not currently active",
    "no registered leader",
    "down",
)


class SolrError(HubbubError):
    """Solr refused a request or could not be reached; the message says which and why."""


class SolrUnavailable(SolrError, EngineUnavailable, OSError):
    """No node of the cluster answered in time."""


def configset_files() -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(CONFIGSET.iterdir()) if path.is_file()}


def configset_name(extra: str = "") -> str:
    """The configset's name in the cluster: named by its content, so a collection made
    by another version of Hubbub is known by it."""
    digest = hashlib.sha256(extra.encode("utf-8"))
    for name, content in configset_files().items():
        digest.update(name.encode("utf-8") + b"\0" + content)
    return f"hubbub-{digest.hexdigest()[:12]}"


def configset_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in configset_files().items():
            archive.writestr(name, content)
    return buffer.getvalue()


def form_field(name: str, value: str) -> str:
    return f"{quote_plus(name)}={quote_plus(value)}"


_remembered_form_field = lru_cache(maxsize=1024)(form_field)


def form(fields: Sequence[tuple[str, object]]) -> str:
    """The fields URL-encoded: a search sends some twenty, most the same every time."""
    texts = ((name, str(value)) for name, value in fields)
    return "&".join(
        (_remembered_form_field if len(text) <= REMEMBERED_FIELD_CHARS else form_field)(name, text)
        for name, text in texts
    )


class SolrCluster:
    """The nodes of one SolrCloud, any of which can take any request. Thread-safe."""

    def __init__(self, urls: Sequence[str]) -> None:
        if not urls:
            raise SolrError("No Solr address given: name a node with --solr URL.")
        self.urls = tuple(url.rstrip("/") for url in urls)
        self._pool = urllib3.PoolManager(
            num_pools=max(4, len(self.urls)),
            maxsize=16,
            retries=False,
            timeout=urllib3.Timeout(connect=CONNECT_SECONDS, read=READ_SECONDS),
        )
        self._lock = threading.Lock()
        self._resting: dict[str, float] = {}
        self._turn = 0

    def _order(self) -> list[str]:
        """Every node, those resting last, starting one further along each time."""
        with self._lock:
            self._turn = (self._turn + 1) % len(self.urls)
            turn = self._turn
            now = time.monotonic()
            resting = {url for url, until in self._resting.items() if until > now}
        rotated = self.urls[turn:] + self.urls[:turn]
        return [url for url in rotated if url not in resting] + [
            url for url in rotated if url in resting
        ]

    def _rest(self, url: str) -> None:
        with self._lock:
            self._resting[url] = time.monotonic() + RESTING_SECONDS

    def request(
        self,
        path: str,
        params: Mapping[str, object] | Sequence[tuple[str, object]] = (),
        body: object = None,
        data: bytes | None = None,
        timeout: float = READ_SECONDS,
        retry_seconds: float | None = None,
    ) -> dict:
        """Solr's JSON answer to a request to `path` (after /solr). The parameters go in a
        form's body, which has no length limit, unless there is a JSON `body` or raw
        `data` to send. Retried on other nodes while Solr says the failure will pass;
        any other refusal raises at once with Solr's own message.

        :raise SolrUnavailable: when no node could answer within `retry_seconds`
            (`RETRY_SECONDS` unless given).
        :raise SolrError: when Solr refused the request.
        """
        fields = list(params.items() if isinstance(params, Mapping) else params)
        fields.append(("wt", "json"))
        if body is not None:
            data, kind = json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json"
        else:
            kind = "application/octet-stream"
        deadline = time.monotonic() + (RETRY_SECONDS if retry_seconds is None else retry_seconds)
        failures: list[str] = []
        pause = 0.05
        while True:
            for url in self._order():
                try:
                    answer = self._send(url + path, fields, data, kind, timeout)
                except SolrUnavailable as failure:
                    self._rest(url)
                    failures.append(f"{url}: {failure}")
                    continue
                return answer
            if time.monotonic() + pause > deadline:
                break
            time.sleep(pause)
            pause = min(pause * 2, 1.0)
        raise SolrUnavailable(
            "No Solr node answered: " + "; ".join(dict.fromkeys(failures[-len(self.urls) :]))
        )

    def _send(
        self,
        url: str,
        fields: list[tuple[str, object]],
        data: bytes | None,
        kind: str,
        timeout: float,
    ) -> dict:
        query = form(fields)
        if data is None:
            url, data, kind = url, query.encode("ascii"), "application/x-www-form-urlencoded"
        else:
            url = f"{url}?{query}"
        try:
            response = self._pool.request(
                "POST",
                url,
                body=data,
                headers={"Content-Type": kind},
                timeout=urllib3.Timeout(connect=CONNECT_SECONDS, read=timeout),
            )
        except urllib3.exceptions.HTTPError as error:
            raise SolrUnavailable(type(error).__name__) from error
        try:
            answer = json.loads(response.data or b"{}")
        except ValueError:
            answer = {}
        if response.status == 200:
            return answer
        message = solr_message(answer) or f"HTTP {response.status}"
        if response.status in RETRIED_STATUSES or passing(message):
            raise SolrUnavailable(message)
        raise SolrError(f"Solr refused the request: {message}")

    # The Collections and Configsets APIs

    def admin(self, action: str, **params: object) -> dict:
        return self.request(
            "/admin/collections", {"action": action, **params}, timeout=ADMIN_SECONDS
        )

    def collections(self) -> dict[str, dict]:
        """Every collection with its state: shards, replicas and configset name."""
        return self.admin("CLUSTERSTATUS").get("cluster", {}).get("collections", {}) or {}

    def aliases(self) -> dict[str, str]:
        return self.admin("LISTALIASES").get("aliases", {}) or {}

    def ensure_configset(self, name: str) -> None:
        """Upload Hubbub's configset under `name`, unless the cluster has it."""
        known = self.request("/admin/configs", {"action": "LIST"}).get("configSets", [])
        if name not in known:
            self.request(
                "/admin/configs",
                {"action": "UPLOAD", "name": name},
                data=configset_zip(),
                timeout=ADMIN_SECONDS,
            )

    def create_collection(self, name: str, configset: str, shards: int, replicas: int) -> None:
        self.admin(
            "CREATE",
            name=name,
            numShards=shards,
            replicationFactor=replicas,
            **{"collection.configName": configset, "waitForFinalState": "true"},
        )

    def point_alias(self, alias: str, collection: str) -> None:
        """Make `alias` name `collection`, in one step for every reader of the cluster."""
        self.admin("CREATEALIAS", name=alias, collections=collection)

    def delete_alias(self, alias: str) -> None:
        self.admin("DELETEALIAS", name=alias)

    def delete_collection(self, name: str) -> None:
        self.admin("DELETE", name=name)


def solr_message(answer: dict) -> str:
    error = answer.get("error") or {}
    message = error.get("msg") or answer.get("exception") or ""
    if not message and isinstance(answer.get("failure"), dict):
        message = "; ".join(str(v) for v in answer["failure"].values())
    return str(message)[:500]


def passing(message: str) -> bool:
    lowered = message.lower()
    return any(failure in lowered for failure in PASSING_FAILURES)
