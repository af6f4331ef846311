"""Russian → Latin transliteration and spelling-tolerant name keys.

Names are the best MT-free anchors between a Russian sentence and its English translation, but
their spellings differ (``Токаев`` / ``Tokayev``, ``Алиева`` / ``Aliyev``). A *name key* keeps the
first letter and the first consonants of the transliteration, so vowel choices (``ye``/``e``),
doubled letters and most Russian case endings stop mattering.
"""

from __future__ import annotations

# BGN/PCGN-like: the spelling English news uses for most Russian names.
_TABLE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
}  # fmt: skip

_TRANS = str.maketrans(_TABLE)
# Letters a key ignores: vowels and the glides/digraph halves that English spellings vary in.
_DROP = frozenset("aeiouyjhw'")
# Spellings English uses for one sound the transliteration writes another way.
_FOLD = str.maketrans({"c": "k", "q": "k", "x": "k", "z": "s"})


def transliterate(text: str) -> str:
    """Russian (and Ukrainian/Belarusian) Cyrillic to Latin letters; other characters kept.

    >>> transliterate("Токаев")
    'Tokaev'
    >>> transliterate("Щукин, Tesla")
    'Shchukin, Tesla'
    """
    out = []
    for ch in text:
        low = ch.lower()
        rep = _TABLE.get(low)
        if rep is None:
            out.append(ch)
        elif ch != low and rep:
            out.append(rep[0].upper() + rep[1:])
        else:
            out.append(rep)
    return "".join(out)


def name_key(word: str, size: int = 3) -> str:
    """A short key that spelling variants of one name share ("" for too-short words).

    >>> name_key("Токаев") == name_key("Tokayev") == name_key("Токаевым")
    True
    >>> name_key("Алиевым") == name_key("Aliyev")
    True
    >>> name_key("Шольц") == name_key("Scholz")
    True
    >>> name_key("Путин") == name_key("Putin"), name_key("Москва") == name_key("Paris")
    (True, False)
    """
    s = word.lower().translate(_TRANS)
    # German spellings in English news (Scholz = Шольц): sch ~ ш, z ~ ц.
    s = s.replace("sch", "sh").replace("ts", "z").translate(_FOLD)
    s = "".join(ch for ch in s if ch.isalpha())
    if len(s) < 3:
        return ""
    key = [s[0]]
    for ch in s[1:]:
        if ch in _DROP or ch == key[-1]:
            continue
        key.append(ch)
        if len(key) == size:
            break
    return "".join(key) if len(key) >= 2 else ""
