"""Where a webhook may post: URL rules when it is saved, address checks when it is delivered.

A webhook URL is typed by a department lead but fetched by the server, so it must not reach
what only the server can reach: loopback, link-local (cloud metadata at 169.254.169.254),
private and shared ranges, unspecified and multicast addresses, in any notation (integer,
hex, octal, IPv4-mapped or NAT64/6to4-embedded IPv6). When a URL is saved its literal address
or well-known internal name is refused; when it is delivered its host is resolved, EVERY
address is checked, and the post connects to a checked address (see ``webhooks.send``), so a
name that changes its answer between check and connect (DNS rebinding) cannot slip through.
``EPMO_WEBHOOK_ALLOWED_HOSTS`` names hosts (by name or CIDR) that may be private.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from epmo.errors import FieldError, Invalid

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# Names that reach the machine itself or a cloud's metadata service without looking private.
INTERNAL_NAMES = frozenset({
    "localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", "metadata",
    "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal",
    "metadata.azure.com", "metadata.tencentyun.com"})
NAT64 = ipaddress.ip_network("64:ff9b::/96")
_HOST_CHARS = re.compile(r"^[a-z0-9_.-]+$")
# As browsers do (WHATWG URL): a host whose last label is a number is an IPv4 address.
_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")


class Blocked(Exception):
    """The URL leads to an address webhooks may not reach (message safe to show)."""


@dataclass(frozen=True, slots=True)
class Allowance:
    """Hosts an administrator lets webhooks reach although they are private."""

    names: frozenset[str] = frozenset()
    networks: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Allowance:
        """Read ``"name, 10.0.0.0/8, ..."``; ValueError names a bad entry."""
        names: set[str] = set()
        networks: list[Network] = []
        for entry in (part.strip().lower().rstrip(".") for part in text.split(",")):
            if not entry:
                continue
            if _looks_like_address(entry):
                networks.append(ipaddress.ip_network(entry, strict=False))
            elif _HOST_CHARS.match(entry):
                names.add(entry)
            else:
                raise ValueError(f"{entry!r} is neither a host name nor an address/CIDR")
        return cls(frozenset(names), tuple(networks))

    def allows(self, address: IP) -> bool:
        """True when ``address`` lies in an allowed network."""
        return any(address in network for network in self.networks)


def _looks_like_address(entry: str) -> bool:
    return ":" in entry or "/" in entry or bool(re.match(r"^[0-9.]+$", entry))


def _embedded_v4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.teredo[1] if address.teredo else None


def is_blocked(address: IP) -> bool:
    """True for every address a webhook may not reach without an allowance."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_v4(address)
        if inner is not None and is_blocked(inner):
            return True
    return (not address.is_global or address.is_private or address.is_loopback
            or address.is_link_local or address.is_multicast or address.is_reserved
            or address.is_unspecified)


def literal_address(host: str) -> IP | None:
    """The address a URL host spells in any notation (``127.1``, ``0x7f.1``...), else None.

    A host that looks numeric but is no address raises ValueError.
    """
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if not _NUMERIC_LABEL.match(host.rsplit(".", 1)[-1]):
        return None
    try:  # inet_aton reads the legacy integer, hex and octal forms the way resolvers do
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        raise ValueError(f"{host} is not a valid IP address") from None


def _refuse(reason: str) -> Invalid:
    return Invalid("The webhook URL is not allowed", [FieldError("url", reason)])


def _split(url: str) -> tuple[SplitResult, str]:
    """Parse and normalise: http(s), a host, no credentials; return parts and the host."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise Invalid("The webhook URL is not valid", [FieldError("url", str(exc))]) from exc
    if parts.scheme not in ("http", "https"):
        raise Invalid("Webhooks are posted over HTTP(S) only",
                      [FieldError("url", "must start with http:// or https://")])
    if not parts.hostname or port == 0:
        raise Invalid("The webhook URL has no host", [FieldError("url", "needs a host name")])
    if "@" in parts.netloc:
        raise _refuse("must not contain a user name or password (put secrets in the receiver)")
    host = parts.hostname.lower().rstrip(".").split("%")[0]
    if ":" not in host and not _HOST_CHARS.match(host):
        raise _refuse("host name has characters a host name cannot have (use xn-- for IDN)")
    return parts, host


def _check_host(host: str, allowance: Allowance) -> None:
    """Refuse an internal name or a blocked literal address the allowance does not cover."""
    if host in allowance.names:
        return
    if host in INTERNAL_NAMES or host.endswith(".localhost"):
        raise Blocked("names an internal host (loopback or cloud metadata)")
    try:
        address = literal_address(host)
    except ValueError:
        raise _refuse("is not a valid IP address") from None
    if address is not None and is_blocked(address) and not allowance.allows(address):
        raise Blocked("points at a loopback, private, link-local or reserved address")


def check_url(url: str, allowance: Allowance) -> str:
    """Return the URL when a webhook may be saved with it, else Invalid naming ``url``."""
    url = url.strip()
    _parts, host = _split(url)
    try:
        _check_host(host, allowance)
    except Blocked as exc:
        raise _refuse(f"{exc}; an administrator can allow it with "
                      "EPMO_WEBHOOK_ALLOWED_HOSTS") from None
    return url


@dataclass(frozen=True, slots=True)
class Target:
    """A vetted destination: what to ask for (host, path) and where to connect (addresses)."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


def resolve(host: str, port: int) -> tuple[str, ...]:
    """Every address the host resolves to, in the resolver's order (Blocked: none)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise Blocked("host not found") from None
    return tuple(dict.fromkeys(str(info[4][0]) for info in found))


def vet(url: str, allowance: Allowance) -> Target:
    """Check the URL and every address its host resolves to; Blocked says why not."""
    try:
        parts, host = _split(url)
        _check_host(host, allowance)
    except (Invalid, Blocked):
        raise Blocked("blocked address") from None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    found = resolve(host, port)
    if host not in allowance.names:
        for text in found:
            address = ipaddress.ip_address(text.split("%")[0])
            if is_blocked(address) and not allowance.allows(address):
                raise Blocked("blocked address")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port, path, found)
