"""Text banks of the personal additions (tests/privacy_set/nearmiss.py): the two kinds the guard missed.

A third party's name with a private e-mail address and telephone in Russian running text (the name in any
grammatical case: {nom} {gen} {dat} {acc} {ins}; [man|woman] forms), and a list of people's names alone in
an HTML body, introduced by a sentence.
"""

# (subject, sentence): a private person outside the client's staff or a former employee, with private contacts.
RU_CONTACT = [
    ("Контакт арендодателя", "По договору {doc} со стороны арендодателя теперь всё решает {nom}. [Его|Её] личный "
     "телефон {phone}, почта {email} — [он просил|она просила] писать туда, рабочей почты у [него|неё] пока нет."),
    ("Справка для бывшего сотрудника", "Бывш[ий|ая] бухгалтер {nom} просит прислать справку о доходах за прошлый год "
     "на {email}; телефон для связи {phone}."),
    ("Настройка обмена", "Позвоните, пожалуйста, {dat} по номеру {phone} или напишите на {email} — [он|она] поможет с "
     "настройкой обмена, базу ставил[|а] [он|она]."),
    ("Доступ к старой базе", "Для восстановления доступа к старой базе свяжитесь с {ins}: {phone}, {email}."),
    ("Мастер по кассе", "Мне передали контакт мастера, который устанавливал нам кассу: {nom}, {email}, тел. {phone}. "
     "[Он|Она] не наш сотрудник, работает сам[|а] на себя."),
    ("Новый собственник помещения", "Новый собственник помещения — {nom}, моб. {phone}, e-mail {email}. Договор "
     "аренды теперь будет с [ним|ней], акты нужно перевыставить."),
    ("Кто заберёт документы", "Если нас не будет на месте, оригиналы документов может забрать {nom} (тел. {phone}, "
     "почта {email})."),
    ("Доверенность на получение", "Доверенность выписана на {acc}; контакты для курьера: {phone}, {email}."),
    ("Вопрос по акту", "У {gen} из бухгалтерии заказчика вопрос по акту сверки, [его|её] адрес {email}, телефон "
     "{phone} — ответьте [ему|ей], пожалуйста, напрямую."),
    ("Новый директор арендодателя", "У ООО «Вектор» сменился директор, теперь это {nom}; рабочей почты у "
     "[него|неё] пока нет, просил[|а] писать на личную {email} или звонить на {phone}."),
    ("Курьер с документами", "Документы привезёт курьер, передайте их {dat}; номер {phone}, копию накладной "
     "отправьте на {email}."),
]
# The contacts as the last lines of a message without a closing formula (they look like a signature block).
RU_CONTACT_LINES = [("Контакт подрядчика", "Просьба связаться по вопросу переноса базы с нашим подрядчиком:"),
                    ("Контакты для курьера", "Документы передадим через знакомого, его данные для пропуска:"),
                    ("Новый контакт по аренде", "Счета за аренду теперь согласовывает хозяйка помещения:")]
RU_LEADS = ["Добрый день!\nУточнение к нашему обращению.", "Здравствуйте!", "Добрый день, коллеги!"]

# (subject, intro) before a list of names; {mm} {year} is the period.
NAME_LIST = {
    "lv": [("Jauni lietotāji", "Lūdzu izveidot lietotāju kontus šiem jaunajiem darbiniekiem:"),
           ("Piekļuve algu modulim", "No nākamā mēneša piekļuve algu modulim jāpiešķir:"),
           ("Atskaitē trūkst cilvēku", "Atskaitē par {mm}.{year} netiek rādīti šie cilvēki, lai gan viņiem ir "
            "nostrādātas stundas.")],
    "lt": [("Nauji naudotojai", "Prašome sukurti naudotojų paskyras šiems naujiems darbuotojams:"),
           ("Prieiga prie atlyginimų modulio", "Nuo kito mėnesio prieigą prie atlyginimų modulio reikia suteikti:"),
           ("Ataskaitoje trūksta žmonių", "Ataskaitoje už {year}-{mm} nerodomi šie žmonės, nors jie turi dirbtų "
            "valandų.")],
    "ro": [("Utilizatori noi", "Vă rog să creați conturi de utilizator pentru următorii angajați noi:"),
           ("Lipsesc din raport", "În raportul pe {mm}.{year} nu apar aceste persoane, deși au ore lucrate.")],
    "sk": [("Noví používatelia", "Prosím, vytvorte používateľské kontá pre týchto nových zamestnancov:"),
           ("V zostave chýbajú ľudia", "V zostave za {mm}/{year} sa nezobrazujú títo ľudia, hoci majú odpracované "
            "hodiny.")],
    "ru": [("Новые пользователи", "Просьба создать учётные записи для новых сотрудников:"),
           ("Доступ к модулю зарплаты", "С первого числа доступ к модулю зарплаты нужно дать:"),
           ("В отчёте нет людей", "В отчёте за {mm}.{year} не отображаются эти люди, хотя у них есть отработанные "
            "часы.")],
    "en": [("New users", "Please create user accounts for these new employees:"),
           ("Missing from the report", "The report for {mm}/{year} does not show these people although they have "
            "hours worked.")],
}
# Russian case endings of the invented names (tests/privacy_set/people.py): gen, dat, acc, ins.
RU_FIRST = {"Иван": "а у а ом", "Алексей": "я ю я ем", "Дмитрий": "я ю я ем", "Сергей": "я ю я ем",
            "Андрей": "я ю я ем", "Михаил": "а у а ом", "Николай": "я ю я ем", "Павел": "а у а ом",
            "Артём": "а у а ом", "Владимир": "а у а ом", "Евгений": "я ю я ем", "Константин": "а у а ом"}
