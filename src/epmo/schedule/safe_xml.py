"""Stream an untrusted XML file: defusedxml vets its prolog, the C parser reads the rest.

XML allows a document type (DTD), entity declarations and external references only in the
prolog, before the root element starts. ``vet`` feeds the file to defusedxml's parser with
DTDs forbidden and stops at the root's start tag, so a DTD, an entity declaration ("billion
laughs") or an external entity raises defusedxml's own error there. With none declared, no
entity but the five built-in ones can occur, and the body is parsed by ``xml.etree``'s C
iterparse: defusedxml's own ``iterparse`` runs the pure-Python parser, twice as slow on a
20,000-task file (bench.schedule_readers).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from xml.etree.ElementTree import Element, iterparse

from defusedxml.ElementTree import DefusedXMLParser

_CHUNK = 64 * 1024


class _RootReached(Exception):
    """The root element started: the prolog is over."""


class _StopAtRoot:
    """A parser target that stops the parse at the first start tag."""

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        raise _RootReached

    def close(self) -> None:
        return None


def vet(data: bytes) -> None:
    """Refuse (with defusedxml's errors) a DTD, entity declaration or external reference."""
    parser = DefusedXMLParser(target=_StopAtRoot(), forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    try:
        for at in range(0, len(data), _CHUNK):
            parser.feed(data[at:at + _CHUNK])
    except _RootReached:
        return
    # no root element at all: the parse that follows reports it with its line


def elements(data: bytes) -> Iterator[Element]:
    """Each element of a vetted file as it ends (clear what you are done with)."""
    vet(data)
    for _, element in iterparse(io.BytesIO(data), events=("end",)):
        yield element
