"""The work description the journal and the statement keep (seed 002): the agent's stated "Work: …" line, else the
first sentence of their own text after the salutation and before the sign-off, in all six languages."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailbot.agents.description import MAX_LENGTH, stated, work_description


@pytest.mark.parametrize("text, expected", [
    ("Labdien, Jāni!\n\nIzlaboju rēķina formu, lai PVN noapaļotu pareizi. Lūdzu pārbaudiet.\n\nAr cieņu,\nIlze",
     "Izlaboju rēķina formu, lai PVN noapaļotu pareizi."),
    ("Laba diena,\nsukūriau naują vartotoją. Prisijungimo duomenys išsiųsti.\nPagarbiai\nAndrius",
     "sukūriau naują vartotoją."),
    ("Bună ziua, domnule Popescu,\n\nAm corectat configurarea TVA. Vă rog verificați.", "Am corectat configurarea TVA."),
    ("Dobrý deň,\nnastavil som tlačovú zostavu faktúry.\nS pozdravom", "nastavil som tlačovú zostavu faktúry."),
    ("Здравствуйте, Иван!\nИсправил ошибку в отчёте. Проверьте, пожалуйста.\nС уважением, Вадим",
     "Исправил ошибку в отчёте."),
    ("Hello John,\n\nI reset the password for K. Ozols. He can log in now.\n\nBest regards",
     "I reset the password for K. Ozols."),
    ("Labdien! Nomainīju adresi uz Str. Mihai Eminescu 5. Pārbaudiet.", "Nomainīju adresi uz Str. Mihai Eminescu 5."),
    ("Labdien, Rēķins neatveras jo trūka fonta. Salaboju.", "Rēķins neatveras jo trūka fonta."),
    ("Добрый день, уважаемый Иван Петрович!\nНастроил обмен с банком.", "Настроил обмен с банком."),
    ("Izlaboju formu.", "Izlaboju formu."),
])
def test_the_work_not_the_greeting(text, expected):
    assert work_description(text, "Rēķins neatveras") == expected


@pytest.mark.parametrize("line, expected", [
    ("Work: migrated the 2025 data", "migrated the 2025 data"), ("Darbs: konsultācija par algām", "konsultācija par algām"),
    ("Darbas: naujas vartotojas", "naujas vartotojas"), ("Lucrare: configurare TVA", "configurare TVA"),
    ("Práca: nastavenie tlače", "nastavenie tlače"), ("Работа: настройка обмена", "настройка обмена"),
])
def test_a_stated_line_wins_in_every_language(line, expected):
    text = f"Labdien,\npaldies par jautājumu, skat. zemāk.\n{line}\nAr cieņu"
    assert work_description(text, "x") == expected == stated(text)


def test_greeting_and_signature_only_give_the_subject():
    assert work_description("Labdien,\nAr cieņu, Ilze", "Rēķins neatveras") == "Rēķins neatveras"


def test_a_note_keeps_its_text():
    assert work_description("Labdien,\niekšējā piezīme", "x", note=True) == "Labdien,"


GREETINGS = st.sampled_from(["Labdien, Jāni!", "Laba diena,", "Bună ziua,", "Dobrý deň,", "Здравствуйте!",
                             "Hello John,", ""])
WORDS = st.lists(st.sampled_from(["izlaboju", "formu", "pievienoju", "lietotāju", "настроил", "обмен", "fixed",
                                  "the", "report", "TVA", "5"]), min_size=1, max_size=12)


@given(GREETINGS, WORDS, st.text(max_size=200))
def test_description_properties(greeting, words, tail):
    """Whatever the agent wrote: one line, never longer than the journal keeps, never the greeting alone, and the
    agent's first words are in it."""
    body = " ".join(words).capitalize() + "."
    text = f"{greeting}\n\n{body}\n{tail}" if greeting else f"{body}\n{tail}"
    d = work_description(text, "Subject")
    assert "\n" not in d and 0 < len(d) <= MAX_LENGTH
    if not stated(text):
        assert d.startswith(body.split()[0])
