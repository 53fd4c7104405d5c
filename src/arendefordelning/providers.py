"""Providers (utförare): who carries out an assignment, municipal or private.

A :class:`Provider` is a plain value: its name and its kind. Routines that send work
to providers (VAL, UP) use it, and the non-choice rotation (VAL-2) orders providers
by name in Swedish alphabetical order (:func:`swedish_sort_key`).
"""

from __future__ import annotations

import unicodedata

import attrs

from ._validators import instance_of, name
from .deadlines import ProviderKind

__all__ = ["Provider", "ProviderKind", "swedish_sort_key"]

# Swedish collation: å, ä, ö are letters of their own after z; other accented Latin
# letters sort with their base letter (é as e, ü as y as in Swedish dictionaries).
_SWEDISH_LAST = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}"})


def swedish_sort_key(text: str) -> tuple[str, str]:
    """Sort key in Swedish alphabetical order (svensk alfabetisk ordning).

    Letters compare without regard to case; å, ä and ö follow z (æ sorts as ä, ø as
    ö); other accented letters sort with their base letter, and ü with y. Ties are
    broken by the text itself, so the order is total.

    >>> sorted(["Örat", "Åkern", "Ängen", "Zeta", "émile"], key=swedish_sort_key)
    ['émile', 'Zeta', 'Åkern', 'Ängen', 'Örat']
    """
    folded = text.casefold().translate(_SWEDISH_LAST).replace("ü", "y")
    decomposed = unicodedata.normalize("NFKD", folded)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base, text


@attrs.frozen(order=False)
class Provider:
    """Provider (utförare): a home-care or other provider, municipal or private.

    Two providers are the same when name and kind are equal. The name is what the
    rotation list sorts by (VAL-2) and what messages to the provider show.
    """

    name: str = attrs.field(validator=name)
    """The provider's name as the municipality registers it."""
    kind: ProviderKind = attrs.field(
        default=ProviderKind.MUNICIPAL, validator=instance_of(ProviderKind)
    )
    """Municipal (kommunal, egen regi) or private (privat) provider."""

    def __str__(self) -> str:
        return self.name
