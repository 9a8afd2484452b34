"""Password hashing with argon2id (``argon2-cffi``; RFC 9106 parameters by default), and the
check against commonly used passwords (``zxcvbn``: Dropbox's estimator with its lists of the
30,000 most common passwords from leaks, common words and names, keyboard patterns)."""

from __future__ import annotations

from argon2 import PasswordHasher as _Argon2
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn

#: zxcvbn looks at this many characters (it is quadratic in the length; a longer password
#: is not common anyway).
_CHECKED_LENGTH = 64
#: Fewer estimated guesses than this is refused: zxcvbn's score 0, "too guessable" — the
#: common passwords of the leaks (``password``, ``12345678``, ``qwertyuiop``), repeats and
#: keyboard runs.
_MIN_GUESSES = 1000


class Argon2Hasher:
    """argon2id. The defaults are RFC 9106's second recommended option (t=3, 64 MiB, p=4);
    tests may pass cheaper costs, which ``needs_rehash`` then upgrades on the next sign-in
    under the defaults."""

    def __init__(
        self, *, time_cost: int = 3, memory_cost: int = 65536, parallelism: int = 4
    ) -> None:
        self._hasher = _Argon2(
            time_cost=time_cost,
            memory_cost=memory_cost,
            parallelism=parallelism,
            type=Type.ID,
        )

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, hashed: str, password: str) -> bool:
        try:
            return self._hasher.verify(hashed, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, hashed: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(hashed)
        except (InvalidHashError, ValueError):
            return True

    def weakness(self, password: str) -> str | None:
        return common_password(password)


def common_password(password: str) -> str | None:
    """Why ``password`` is among the easiest to guess, or None."""
    checked = password[:_CHECKED_LENGTH]
    result = zxcvbn(checked)
    sequence = result.get("sequence") or []
    listed = len(sequence) == 1 and sequence[0].get("dictionary_name") == "passwords"
    if float(result["guesses"]) >= _MIN_GUESSES and not listed:
        return None
    warning = str(result.get("feedback", {}).get("warning") or "").strip().rstrip(".")
    why = f" ({warning[0].lower()}{warning[1:]})" if warning else ""
    return (
        f"this password is one of the most commonly used ones and easy to guess{why}; "
        "choose another, e.g. three or four unrelated words"
    )
