"""The occupations the demo data uses, with a job title for a vacancy in each.

Chosen for the labour markets of the five states: oil, gas and mining in Kazakhstan and
Russia's north, construction and transport everywhere, health and teaching, IT in
Yerevan, Minsk and Almaty, services and agriculture.
"""

from typing import Final, NamedTuple


class DemoOccupation(NamedTuple):
    title_en: str
    title_ru: str
    weight: int  # relative frequency in the demo market
    rotational: bool = False  # often worked in shifts away from home (vakhta)


DEMO_OCCUPATIONS: Final[dict[str, DemoOccupation]] = {
    "1221": DemoOccupation("Sales manager", "Руководитель отдела продаж", 2),
    "1321": DemoOccupation("Production manager", "Начальник производства", 1),
    "2142": DemoOccupation("Civil engineer", "Инженер-строитель", 3),
    "2144": DemoOccupation("Mechanical engineer", "Инженер-механик", 3),
    "2146": DemoOccupation("Mining engineer", "Горный инженер", 2, rotational=True),
    "2166": DemoOccupation("Graphic designer", "Графический дизайнер", 1),
    "2211": DemoOccupation("General practitioner", "Врач общей практики", 3),
    "2221": DemoOccupation("Nurse", "Медицинская сестра", 5),
    "2262": DemoOccupation("Pharmacist", "Фармацевт", 2),
    "2330": DemoOccupation("Secondary school teacher", "Учитель средней школы", 4),
    "2341": DemoOccupation("Primary school teacher", "Учитель начальных классов", 3),
    "2411": DemoOccupation("Accountant", "Бухгалтер", 4),
    "2423": DemoOccupation("HR specialist", "Специалист по подбору персонала", 2),
    "2431": DemoOccupation("Marketing specialist", "Маркетолог", 2),
    "2511": DemoOccupation("Systems analyst", "Системный аналитик", 2),
    "2512": DemoOccupation("Software developer", "Разработчик программного обеспечения", 5),
    "2513": DemoOccupation("Web developer", "Веб-разработчик", 3),
    "2522": DemoOccupation("Systems administrator", "Системный администратор", 2),
    "2611": DemoOccupation("Lawyer", "Юрист", 2),
    "3115": DemoOccupation("Mechanical engineering technician", "Техник-механик", 2),
    "3117": DemoOccupation("Mining technician", "Горный мастер", 2, rotational=True),
    "3313": DemoOccupation("Accounting assistant", "Помощник бухгалтера", 2),
    "3322": DemoOccupation("Sales representative", "Торговый представитель", 3),
    "3512": DemoOccupation("IT support specialist", "Специалист техподдержки", 2),
    "4110": DemoOccupation("Office administrator", "Офис-менеджер", 3),
    "4222": DemoOccupation("Contact centre operator", "Оператор колл-центра", 3),
    "4321": DemoOccupation("Storekeeper", "Кладовщик", 3),
    "5120": DemoOccupation("Cook", "Повар", 5, rotational=True),
    "5131": DemoOccupation("Waiter", "Официант", 3),
    "5223": DemoOccupation("Shop assistant", "Продавец-консультант", 5),
    "5230": DemoOccupation("Cashier", "Кассир", 4),
    "5321": DemoOccupation("Health care assistant", "Младшая медицинская сестра", 3),
    "5322": DemoOccupation("Home care worker", "Сиделка", 2),
    "5414": DemoOccupation("Security guard", "Охранник", 3, rotational=True),
    "6111": DemoOccupation("Field crop grower", "Растениевод", 2),
    "6121": DemoOccupation("Livestock farmer", "Животновод", 2),
    "7112": DemoOccupation("Bricklayer", "Каменщик", 3, rotational=True),
    "7115": DemoOccupation("Carpenter", "Плотник", 3, rotational=True),
    "7126": DemoOccupation("Plumber", "Сантехник", 3),
    "7131": DemoOccupation("Painter and decorator", "Маляр-штукатур", 3),
    "7212": DemoOccupation("Welder", "Сварщик", 5, rotational=True),
    "7223": DemoOccupation("CNC machine operator", "Оператор станков с ЧПУ", 2),
    "7231": DemoOccupation("Car mechanic", "Автомеханик", 4),
    "7233": DemoOccupation(
        "Industrial machinery mechanic", "Слесарь-ремонтник", 3, rotational=True
    ),
    "7411": DemoOccupation("Electrician", "Электромонтажник", 4, rotational=True),
    "7512": DemoOccupation("Baker", "Пекарь", 2),
    "8111": DemoOccupation("Miner", "Горнорабочий", 3, rotational=True),
    "8113": DemoOccupation("Drilling operator", "Бурильщик", 3, rotational=True),
    "8121": DemoOccupation(
        "Metal processing operator", "Оператор металлургического оборудования", 2
    ),
    "8160": DemoOccupation("Food production operator", "Оператор линии пищевого производства", 2),
    "8322": DemoOccupation("Taxi driver", "Водитель такси", 3),
    "8332": DemoOccupation("Truck driver", "Водитель грузовика", 5, rotational=True),
    "8344": DemoOccupation("Forklift operator", "Водитель погрузчика", 3),
    "9112": DemoOccupation("Cleaner", "Уборщик", 3),
    "9211": DemoOccupation("Farm labourer", "Сельскохозяйственный рабочий", 2),
    "9313": DemoOccupation("Construction labourer", "Разнорабочий на стройке", 4, rotational=True),
    "9333": DemoOccupation("Warehouse loader", "Грузчик", 3),
}
