"""The school's rounding of marks and averages: half up (4.5 is 5), never half to even."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def half_up(value: float | Fraction | int, places: int = 0) -> Decimal:
    """Round an average half up to a number of decimal places.

    A float is read as its shortest decimal form, so 4.45 (stored as 4.4499...) rounds to 4.5
    as a person would round it.
    """
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def mark_of(average: float | Fraction) -> int:
    """The whole mark an average earns: an attestation or a semester mark."""
    return int(half_up(average))
