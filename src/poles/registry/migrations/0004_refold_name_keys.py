"""Re-key organisations stored under `name:` keys by the fold before casefold() (finding 13).

The earlier fold dropped every character NFKD left non-ASCII ('Großostheim' → 'groostheim',
'l’Eau' → 'leau'); `poles.registry.names` now case-folds and spells them out. A row is re-keyed
only when its stored key is exactly what the earlier fold made of its stored name and city (or
postcode), so the new key is certain, and only when no other row holds that key already. Both
folds are frozen here: later changes to poles.registry.names must not change this migration.
"""

import hashlib
import re
import unicodedata

from django.db import migrations

KEY_MAX = 255
_CEDEX = re.compile(r"\bcedex\b.*$")
_ARRONDISSEMENT = re.compile(r"\b[0-9]{1,2}(e|er|eme)?\b")
_LATIN = str.maketrans({
    "œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
    "ħ": "h", "ŧ": "t", "ŀ": "l", "ĸ": "k", "ŋ": "n", "ɨ": "i",
})


def _old_fold(text):
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", ascii_text.lower().replace("&", " et ")).strip()


def _strip_marks(text):
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _new_fold(text):
    folded = _strip_marks((text or "").casefold().translate(_LATIN))
    folded = _strip_marks(folded.casefold().translate(_LATIN))
    folded = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch
                     for ch in folded).replace("&", " et ")
    return re.sub(r"[\W_]+", " ", folded).strip()


def _key(fold, name, city):
    place = _ARRONDISSEMENT.sub(" ", _CEDEX.sub("", fold(city)))
    place = re.sub(r"\b(ste)\b", "sainte", re.sub(r"\b(st)\b", "saint", place))
    key = f"name:{fold(name)}|{' '.join(place.split())}"
    if len(key) <= KEY_MAX:
        return key
    return f"{key[:KEY_MAX - 17]}~{hashlib.sha1(key.encode()).hexdigest()[:16]}"


def refold_name_keys(apps, schema_editor):
    Organisation = apps.get_model("registry", "Organisation")
    rows = list(Organisation.objects.filter(key__startswith="name:").values_list("pk", "key", "name", "city", "postcode"))
    taken = set(Organisation.objects.values_list("key", flat=True))
    for pk, key, name, city, postcode in rows:
        for place in (city, postcode):
            if _key(_old_fold, name, place) != key:
                continue
            new = _key(_new_fold, name, place)
            if new != key and new not in taken:
                Organisation.objects.filter(pk=pk).update(key=new)
                taken.discard(key)
                taken.add(new)
            break


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0003_enterprise_links"),
    ]

    operations = [
        migrations.RunPython(refold_name_keys, migrations.RunPython.noop),
    ]
