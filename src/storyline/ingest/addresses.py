"""The URL policy: which addresses a fetch may connect to, checked on the address it then connects to.

By default a fetch refuses loopback, private, link-local, multicast, unspecified
and reserved addresses (IPv4 inside IPv6 too: ``::ffff:127.0.0.1``, 6to4,
NAT64), however the host is spelled (``localhost``, ``127.1``, ``2130706433``,
``[::1]``, ``user@127.0.0.1``), on the first request and on every redirect hop.

The check lives in the network backend under httpx: a host is resolved once,
every address it resolves to is checked, and the TCP connection goes to a
checked address, never to a second lookup's answer (no DNS-rebinding gap).
TLS still verifies, and SNI and the ``Host`` header still name, the host of the
URL. Setting ``allow_private`` lifts the check (an intranet); ``allow_networks``
lifts it for some networks only.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import httpcore
import httpx

from ..errors import FetchError, RefusedAddress, UsageError
from ..settings import Settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to for TCP, in the resolver's order, without repeats."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise FetchError(f"{host}: cannot resolve the host name ({exc})", code="dns") from None
    seen: dict[str, None] = {}
    for *_, sockaddr in infos:
        seen.setdefault(str(sockaddr[0]), None)
    return list(seen)


def refusal(ip: IPAddress) -> str | None:
    """What makes ``ip`` an address the policy refuses ("a loopback address" ...), or ``None`` when it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            inner = refusal(embedded)
            if inner:
                return f"{inner} inside an IPv6 address"
    for test, what in ((ip.is_unspecified, "an unspecified address"), (ip.is_loopback, "a loopback address"),
                       (ip.is_link_local, "a link-local address"), (ip.is_multicast, "a multicast address"),
                       (ip.is_reserved, "a reserved address"), (ip.is_private, "a private address")):
        if test:
            return what
    if not ip.is_global:
        return "not a public address"
    return None


@dataclass(frozen=True)
class AddressPolicy:
    """Which addresses a fetch may connect to."""

    allow_private: bool = False
    #: Networks allowed even when ``allow_private`` is off.
    allowed: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings) -> "AddressPolicy":
        return cls(settings.allow_private, parse_networks(settings.allow_networks))

    def check(self, host: str, addresses: Sequence[str]) -> None:
        """Raise ``RefusedAddress`` when any address ``host`` resolved to is one the policy refuses."""
        if self.allow_private:
            return
        for text in addresses:
            ip = ipaddress.ip_address(text.split("%", 1)[0])
            why = refusal(ip)
            if why and not any(ip in net for net in self.allowed if net.version == ip.version):
                said = f"{host} is" if host == text else f"{host} resolves to {text},"
                raise RefusedAddress(
                    f"{said} {why}; URL ingest does not fetch private addresses (pass --allow-private or set "
                    "allow_private, or allow_networks, to fetch from an intranet)")


def parse_networks(spec: str) -> tuple[IPNetwork, ...]:
    """``"10.1.0.0/16, 192.168.5.7"`` -> networks; ``UsageError`` for anything that is not one."""
    out = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        try:
            out.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise UsageError(f"setting allow_networks: {part!r} is not a network (use CIDR such as "
                             "10.1.0.0/16, comma-separated)") from None
    return tuple(out)


class CheckedBackend(httpcore.NetworkBackend):
    """httpcore's network backend with the policy in ``connect_tcp``: resolve once, check, connect to what was
    checked."""

    def __init__(self, policy: AddressPolicy, resolver: Resolver = resolve) -> None:
        self.policy = policy
        self.resolver = resolver
        self.inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None) -> httpcore.NetworkStream:
        addresses = self.resolver(host, port)
        if not addresses:
            raise FetchError(f"{host}: the host name resolves to no address", code="dns")
        self.policy.check(host, addresses)
        failure: Exception | None = None
        for address in addresses:  # the checked addresses, in order; never a second lookup
            try:
                return self.inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None) -> httpcore.NetworkStream:
        raise RefusedAddress(f"{path}: Unix sockets are never fetched")

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class CheckedTransport(httpx.HTTPTransport):
    """httpx's transport over :class:`CheckedBackend` (no proxy: a proxy would resolve the host unchecked)."""

    def __init__(self, policy: AddressPolicy, resolver: Resolver = resolve) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(), max_connections=20,
                                             max_keepalive_connections=10, keepalive_expiry=5.0,
                                             network_backend=CheckedBackend(policy, resolver))
