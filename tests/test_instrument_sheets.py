"""Instrument sheet names: unique, valid, recognisable as the program's."""

from salesplan.outputs.instruments import file_name, is_instrument_sheet, sheet_names, short_client, short_name


def test_sheet_names_are_short_unique_and_valid():
    managers = ["Васильева Елена", "Васильева Екатерина", "Попов Дмитрий", "Очень-Длинная-Фамилия-Менеджера Анна",
                "Sales/Team [1]"]
    names = sheet_names(managers, 1, "ru")
    assert names["Попов Дмитрий"] == "№1 Попов Д."
    assert names["Васильева Елена"] == "№1 Васильева Е."
    assert names["Васильева Екатерина"] == "№1 Васильева Е. (2)"
    assert len(set(n.casefold() for n in names.values())) == len(managers)
    for name in names.values():
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\'")
        assert is_instrument_sheet(name)
    assert sheet_names(["Popov Dmitry"], 2, "en")["Popov Dmitry"] == "#2 Popov D."


def test_user_tabs_are_not_mistaken_for_instrument_sheets():
    for name in ("Мои заметки", "План", "1 квартал", "№ 1", "#1Popov"):
        assert not is_instrument_sheet(name)


def test_short_and_file_names():
    assert short_name("Иванов Иван Иванович") == "Иванов И.И."
    assert short_name("Иванов") == "Иванов"
    assert file_name('a/b:c*"d"') == "abcd"


def test_short_client_names_for_narrow_columns():
    assert short_client("ООО «Северная звезда»") == "Северная звезда"
    assert short_client("ИП Макаров Р.Р.") == "Макаров Р.Р."
    assert short_client("АО «ТехноЩит» «Плюс»") == "«ТехноЩит» «Плюс»"
    assert short_client("Ромашка") == "Ромашка"


def test_open_wishes_of_key_clients_are_prewritten():
    import pandas as pd

    from salesplan.method.instruments import open_wishes

    wishes = pd.DataFrame({"client": ["ООО «Альфа»", 'ооо "Альфа"', "ООО «Альфа»", "ИП Бета"],
                           "what": ["шлагбаумы CAME", "кабель UTP", "аккумуляторы", "домофоны"],
                           "status": ["новое", "заказали", "привезли", "отказались"]})
    got = open_wishes(wishes)
    assert list(got.values()) == ["шлагбаумы CAME; кабель UTP"]


def test_pdf_file_names_are_unique_per_manager():
    from salesplan.outputs.render import file_names

    names = file_names(["Иванов Пётр", "Иванов Пётр?", "иванов пётр", "Петров"], "2026-11")
    assert names == {"Иванов Пётр": "Иванов Пётр 2026-11", "Иванов Пётр?": "Иванов Пётр 2026-11 (2)",
                     "иванов пётр": "иванов пётр 2026-11 (3)", "Петров": "Петров 2026-11"}
