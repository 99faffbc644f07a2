"""Vacancy descriptions: the little HTML an employer may use, and nothing that runs."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = frozenset({"p", "br", "ul", "ol", "li", "strong", "em", "a", "h3", "h4"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
# No javascript:, data: or relative links: a description links out to the web or mail.
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitize_description(html: str) -> str:
    """Keep the allowed tags; drop scripts and styles with their content, event
    handlers, other attributes and unsafe links. Links get rel="nofollow" so that
    spam in a posting earns no search ranking."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="nofollow",
        url_relative="deny",
        strip_comments=True,
    ).strip()
