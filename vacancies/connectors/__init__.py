"""Connectors to other systems' vacancy formats: each reads its documents, maps a record
onto our taxonomy, and knows how to ask its source for what changed."""

from __future__ import annotations

from vacancies.connectors.base import Connector
from vacancies.connectors.hh import HhConnector
from vacancies.connectors.jsonld import JsonLdConnector
from vacancies.connectors.trudvsem import TrudvsemConnector

CONNECTORS: dict[str, type[Connector]] = {
    JsonLdConnector.kind: JsonLdConnector,
    TrudvsemConnector.kind: TrudvsemConnector,
    HhConnector.kind: HhConnector,
}


def connector_for(kind: str) -> Connector:
    try:
        return CONNECTORS[kind]()
    except KeyError:
        raise ValueError(f"no connector {kind!r}; there are {', '.join(CONNECTORS)}") from None
