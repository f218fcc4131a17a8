"""Keeping commenters' e-mail and IP addresses out of the index, whatever a file holds.

Readers never read the address fields of an export; this is the second line: any
address left in a comment's author or body is replaced before it is indexed.
"""

from __future__ import annotations

import ipaddress
import re

EMAIL = re.compile(
    r"(?:[\w.!#$%&'*+/=?^`{|}~-]{1,64}|\"[^\"\r\n]{1,64}\")"
    r"@(?:[\w-]{1,63}(?:\.[\w-]{1,63})+|\[[0-9A-Fa-f:.]{2,45}\])"
)
OCTET = r"(?:25[0-5]|2[0-4]\d|1?\d?\d)"
IPV4 = re.compile(rf"(?<![\w.]){OCTET}(?:\.{OCTET}){{3}}(?!\w)(?!\.\d)")
# Runs of hex digits, colons and dots with two colons or more: an IPv6 address when
# `ipaddress` reads one (with an IPv4 tail, too), a time of day or a verse when not.
IPV6_CANDIDATE = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f.]{0,15}){2,8}(?![\w:])")
DIGIT_DOT = re.compile(r"\d\.\d")
EMAIL_REMOVED = "[e-mail removed]"
IP_REMOVED = "[IP address removed]"


def redact(text: str) -> str:
    """The text with every e-mail and IP address replaced by a marker.

    Each pattern runs only where the character it cannot do without is present: most
    comments hold none, and the checks cost a small part of the patterns.
    """
    if "@" in text:
        text = EMAIL.sub(EMAIL_REMOVED, text)
    if text.count(":") >= 2:
        text = IPV6_CANDIDATE.sub(ipv6_removed, text)
    if DIGIT_DOT.search(text):
        text = IPV4.sub(IP_REMOVED, text)
    return text


def ipv6_removed(match: re.Match) -> str:
    """The marker for a run that is an IPv6 address, the run itself otherwise; a
    full stop that ends a sentence is kept."""
    found = match.group(0)
    address = found.rstrip(".")
    try:
        ipaddress.IPv6Address(address)
    except ValueError:
        return found
    return IP_REMOVED + found[len(address) :]


def redact_author(name: str) -> str:
    """A handle with no address in it; a name that is an e-mail keeps its local part."""
    match = EMAIL.fullmatch(name.strip())
    if match:
        return name.strip().split("@", 1)[0]
    return redact(name)
