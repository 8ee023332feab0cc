"""The personal-data detectors, one by one: codes by checksum, accounts, phones, e-mails, names, birth dates,
salaries — and the near-misses that are not personal data."""
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailbot.privacy.codes import snils_valid
from mailbot.privacy.scan import Context, scan_text
from tests.privacy_set import codes as gen

KEYWORD = {"lt-asmens-kodas": "asmens kodas", "lv-personas-kods": "personas kods", "ro-cnp": "CNP",
           "sk-rodne-cislo": "rodné číslo", "cz-rodne-cislo": "rodné číslo (Česko)", "ee-isikukood": "isikukood",
           "pl-pesel": "PESEL", "ru-snils": "СНИЛС", "ru-inn": "ИНН"}
LANG = {"lt-asmens-kodas": "lt", "lv-personas-kods": "lv", "ro-cnp": "ro", "sk-rodne-cislo": "sk",
        "cz-rodne-cislo": "sk", "ee-isikukood": "en", "pl-pesel": "en", "ru-snils": "ru", "ru-inn": "ru"}
KINDS = sorted(KEYWORD)


def kinds(text, lang="lv", sender="anna@acme.lv", name="Anna Bērziņa", body=True):
    return [(f.kind, f.value) for f in scan_text("body", text, Context(lang, sender, name), body=body)]


@settings(max_examples=60, deadline=None)
@given(kind=st.sampled_from(KINDS), rng=st.randoms(use_true_random=False), sep=st.booleans())
def test_every_valid_code_named_in_running_text_is_found_with_its_kind(kind, rng, sep):
    code = gen.fmt(kind, gen.personal_code(kind, rng), sep=sep)
    found = kinds(f"Labdien, darbiniekam ({KEYWORD[kind]} {code}) nepareizi aprēķināta alga.", LANG[kind])
    assert (kind, code) in found


@settings(max_examples=60, deadline=None)
@given(kind=st.sampled_from(KINDS), rng=st.randoms(use_true_random=False))
def test_every_valid_code_in_a_table_column_is_found(kind, rng):
    rows = [gen.personal_code(kind, rng) for _ in range(3)]
    header = f"Nr\tVārds\tUzvārds\t{KEYWORD[kind]}\n"
    text = header + "".join(f"{i}\tJānis\tOzols\t{code}\n" for i, code in enumerate(rows, 1))
    found = kinds(text, LANG[kind])
    assert all((kind, code) in found for code in rows)
    assert ("name", "Jānis") in found and ("name", "Ozols") in found


@settings(max_examples=60, deadline=None)
@given(kind=st.sampled_from(KINDS), rng=st.randoms(use_true_random=False))
def test_a_code_with_a_broken_checksum_is_not_a_code(kind, rng):
    code = gen.broken(kind, gen.fmt(kind, gen.personal_code(kind, rng)), rng)
    found = kinds(f"Skaitlis {code} parādās atskaitē.", LANG[kind])
    assert not [k for k, v in found if v == code and k == kind]


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_snils_check_agrees_with_an_independent_implementation(digits):
    assert snils_valid(digits) == (gen.snils_is_valid(digits) and int(digits[:9]) > 1001998)


def test_snils_examples():
    assert snils_valid("11223344595")  # the example in the Pension Fund's rules
    assert not snils_valid("11223344596")


@pytest.mark.parametrize("text", [
    "SIA Acme, Reģ. Nr. {lvco}, PVN Nr. LV{lvco}",
    "Rēķins Nr. {lt} no 2026-11-20, summa 123,45 EUR",
    "PVM sąskaita faktūra SF-000123, įmonės kodas {ltco}",
    "Version 7.3.1145, build 20261120, GUID 9f1c2d3e-1234-4abc-9def-123456789012",
    "Traceback (most recent call last):\n  File \"app.py\", line 1234, in main\nValueError: 38501011239x",
    "Tel. {lt}",
    "Pasūtījums #{lt} ir apstiprināts",
])
def test_near_misses_are_not_codes(text):
    rng = random.Random(7)
    text = text.format(lvco=gen.lv_company(rng), ltco=gen.lt_company(rng), lt=gen.lt_asmens_kodas(rng))
    assert [k for k, _ in kinds(text) if k in KEYWORD] == []


def test_company_iban_on_an_invoice_is_not_personal_but_an_employees_is():
    rng = random.Random(3)
    company, personal = gen.iban(rng, "LV"), gen.iban(rng, "LV")
    assert kinds(f"Lūdzam apmaksāt rēķinu uz SIA Acme kontu {company}.") == []
    found = kinds(f"Darbinieka Jānis Ozols algas konts {personal}.")
    assert ("iban", personal) in found and ("name", "Jānis Ozols") in found


def test_birth_date_salary_and_names_beside_them():
    found = kinds("Pēteris Kalniņš, dzimšanas datums 14.03.1985.\nViņa bruto alga 1450,00 EUR mēnesī.")
    assert ("birth-date", "14.03.1985") in found
    assert ("name", "Pēteris Kalniņš") in found
    assert ("salary", "1450,00") in found


def test_russian_salary_line_of_a_named_person():
    found = kinds("Сотрудник Иванов Сергей Петрович, оклад 85 000 руб., прошу пересчитать.", "ru")
    assert ("name", "Иванов Сергей Петрович") in found
    assert ("salary", "85 000") in found


def test_the_senders_own_signature_is_not_personal_data():
    text = ("Labdien,\nlūdzu palīdziet ar atskaiti.\n\nAr cieņu,\nAnna Bērziņa, galvenā grāmatvede\n"
            "+371 29 123 456\nanna.berzina@inbox.lv\n")
    assert kinds(text, sender="anna.berzina@inbox.lv") == []


def test_a_colleagues_mobile_and_private_address_are_personal_data():
    found = kinds("Lūdzu sazinieties ar mūsu darbinieku Jānis Ozols, viņa mobilais +371 29 765 432, "
                  "privātais e-pasts janis.ozols@gmail.com.\n\nAr cieņu,\nAnna\n")
    assert ("phone", "+371 29 765 432") in found
    assert ("email", "janis.ozols@gmail.com") in found


def test_dates_and_invoice_numbers_are_not_phones():
    text = "Rēķins 2026/1045 izrakstīts 2026-11-20 plkst. 14:30, termiņš 20.12.2026, summa 29123456 centi."
    assert kinds(text) == []


@pytest.mark.parametrize("sample", [
    "Vārds\tUzvārds\tPersonas kods\nVārds\tUzvārds\tXXXXXX-XXXXX\n",
    "Vardas Pavardė, asmens kodas ***********",
    "Darbinieks 1\tgrāmatvedis\nDarbinieks 2\tdirektors\n",
    "Фамилия Имя Отчество\tСНИЛС\tИНН\n",
])
def test_deidentified_samples_are_not_personal_data(sample):
    assert kinds(sample) == []


def test_employee_list_with_positions():
    text = "Vardas Pavardė\tPareigos\nOna Kazlauskienė\tbuhalterė\nPetras Petraitis\tdirektorius\n"
    found = kinds(text, "lt")
    assert ("name", "Ona Kazlauskienė") in found and ("name", "Petras Petraitis") in found


def test_product_table_with_a_name_column_is_not_people():
    text = "Name\tQty\tPrice\nLicence upgrade\t2\t150.00\nTraining day\t1\t400.00\n"
    assert kinds(text, "en") == []
