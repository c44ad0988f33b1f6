"""Schedule files the tests upload: the fixtures beside this module, and hostile variants."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    """A fixture file's bytes."""
    return (FIXTURES / name).read_bytes()


def renamed(data: bytes, old: str, new: str) -> bytes:
    """``data`` with an activity's name replaced (XML-escaped ``new``)."""
    escaped = new.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return data.replace(f"<Name>{old}</Name>".encode(), f"<Name>{escaped}</Name>".encode())


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Project xmlns="http://schemas.microsoft.com/project"><Name>&lol3;</Name></Project>"""
