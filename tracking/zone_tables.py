"""Which time zone a postal code is in, for the countries that span several zones.

Each table: the country's main zone (the most populous, which is also the capital's except in
the US), the shape of a postal code (without spaces and dashes), and rows (low, high, zone). A
row matches when the postal code's first len(low) characters lie between low and high
(inclusive, compared as text). The first matching row wins, so a narrow row goes before the wide
one it cuts out of (Broken Hill before the rest of New South Wales). A well-formed postal code
that no row holds is in the main zone; a malformed one tells nothing.

Precision: state or region level, with the well-known splits (the Florida panhandle, El Paso,
West Kentucky, Evansville and Gary, northern Idaho, western Dakotas). A county on the wrong side
of a zone line inside one three-digit ZIP area gets its neighbours' zone: a message an hour early
or late at the edge of quiet hours, never a night-time message in the middle of the country.
"""

from __future__ import annotations

import re
from typing import NamedTuple

Row = tuple[str, str, str]


class PostalZones(NamedTuple):
    main: str
    shape: re.Pattern
    rows: tuple[Row, ...]

_US_EASTERN = "America/New_York"
_US_CENTRAL = "America/Chicago"
_US_MOUNTAIN = "America/Denver"
_US_PACIFIC = "America/Los_Angeles"

# Three-digit ZIP prefixes (USPS sectional centres). Anything not listed is Eastern.
US = PostalZones(_US_EASTERN, re.compile(r"\d{5}(\d{4})?"), (
    ("006", "007", "America/Puerto_Rico"), ("008", "008", "America/St_Thomas"), ("009", "009", "America/Puerto_Rico"),
    ("324", "325", _US_CENTRAL),  # Florida panhandle: Panama City, Pensacola
    ("350", "372", _US_CENTRAL),  # Alabama; Middle Tennessee (Nashville)
    ("375", "375", _US_CENTRAL),  # Memphis
    ("380", "397", _US_CENTRAL),  # West Tennessee, Mississippi
    ("420", "424", _US_CENTRAL),  # West Kentucky: Paducah, Bowling Green, Owensboro
    ("463", "464", _US_CENTRAL),  # Gary, Indiana (Chicago area)
    ("476", "477", _US_CENTRAL),  # Evansville, Indiana
    ("460", "479", "America/Indiana/Indianapolis"),
    ("480", "499", "America/Detroit"),
    ("500", "576", _US_CENTRAL),  # Iowa, Wisconsin, Minnesota, eastern South Dakota
    ("577", "577", _US_MOUNTAIN),  # Rapid City, South Dakota
    ("586", "586", _US_MOUNTAIN),  # Dickinson, North Dakota
    ("580", "588", _US_CENTRAL),
    ("590", "599", _US_MOUNTAIN),  # Montana
    ("600", "692", _US_CENTRAL),  # Illinois, Missouri, Kansas, Nebraska
    ("693", "693", _US_MOUNTAIN),  # western Nebraska panhandle
    ("798", "799", _US_MOUNTAIN),  # El Paso, Texas
    ("700", "797", _US_CENTRAL),  # Louisiana, Arkansas, Oklahoma, Texas
    ("800", "831", _US_MOUNTAIN),  # Colorado, Wyoming
    ("832", "837", "America/Boise"),  # southern Idaho
    ("838", "838", _US_PACIFIC),  # northern Idaho
    ("840", "847", _US_MOUNTAIN),  # Utah
    ("850", "865", "America/Phoenix"),  # Arizona: no daylight saving time
    ("870", "885", _US_MOUNTAIN),  # New Mexico, El Paso
    ("889", "961", _US_PACIFIC),  # Nevada, California
    ("967", "968", "Pacific/Honolulu"),
    ("969", "969", "Pacific/Guam"),
    ("979", "979", "America/Boise"),  # eastern Oregon (Ontario)
    ("970", "994", _US_PACIFIC),  # Oregon, Washington
    ("995", "999", "America/Anchorage"),
))

# The first letter of the postal code is the province; the territories split further.
CA = PostalZones("America/Toronto", re.compile(r"[A-Z]\d[A-Z](\d[A-Z]\d)?"), (
    ("A", "A", "America/St_Johns"),
    ("B", "C", "America/Halifax"),  # Nova Scotia, Prince Edward Island
    ("E", "E", "America/Moncton"),  # New Brunswick
    ("G", "P", "America/Toronto"),  # Quebec, Ontario
    ("R", "R", "America/Winnipeg"),
    ("S", "S", "America/Regina"),  # Saskatchewan: no daylight saving time
    ("T", "T", "America/Edmonton"),
    ("V", "V", "America/Vancouver"),
    ("X0A", "X0A", "America/Iqaluit"),
    ("X0B", "X0B", "America/Cambridge_Bay"),
    ("X0C", "X0C", "America/Rankin_Inlet"),
    ("X", "X", "America/Edmonton"),  # Northwest Territories (Yellowknife)
    ("Y", "Y", "America/Whitehorse"),
))

AU = PostalZones("Australia/Sydney", re.compile(r"\d{4}"), (
    ("0200", "0299", "Australia/Sydney"),  # Canberra (ACT)
    ("0800", "0999", "Australia/Darwin"),  # Northern Territory
    ("2880", "2880", "Australia/Broken_Hill"),  # keeps South Australian time
    ("1000", "2999", "Australia/Sydney"),  # New South Wales, ACT
    ("3000", "3999", "Australia/Melbourne"),
    ("8000", "8999", "Australia/Melbourne"),
    ("4000", "4999", "Australia/Brisbane"),  # Queensland: no daylight saving time
    ("9000", "9999", "Australia/Brisbane"),
    ("5000", "5999", "Australia/Adelaide"),
    ("6798", "6798", "Indian/Christmas"),
    ("6799", "6799", "Indian/Cocos"),
    ("6000", "6999", "Australia/Perth"),
    ("7000", "7999", "Australia/Hobart"),
))

# CEP: the first five digits name the state (and Fernando de Noronha).
BR = PostalZones("America/Sao_Paulo", re.compile(r"\d{8}|\d{5}"), (
    ("53990", "53990", "America/Noronha"),
    ("69000", "69299", "America/Manaus"),  # Amazonas
    ("69300", "69399", "America/Boa_Vista"),  # Roraima
    ("69400", "69899", "America/Manaus"),
    ("69900", "69999", "America/Rio_Branco"),  # Acre
    ("76800", "76999", "America/Porto_Velho"),  # Rondônia
    ("78000", "78899", "America/Cuiaba"),  # Mato Grosso
    ("79000", "79999", "America/Campo_Grande"),  # Mato Grosso do Sul
))

# Código postal: the first two digits name the state.
MX = PostalZones("America/Mexico_City", re.compile(r"\d{5}"), (
    ("21", "22", "America/Tijuana"),  # Baja California
    ("23", "23", "America/Mazatlan"),  # Baja California Sur
    ("32", "32", "America/Ciudad_Juarez"),  # Ciudad Juárez keeps US daylight saving time
    ("31", "33", "America/Chihuahua"),
    ("63", "63", "America/Mazatlan"),  # Nayarit
    ("77", "77", "America/Cancun"),  # Quintana Roo
    ("80", "82", "America/Mazatlan"),  # Sinaloa
    ("83", "85", "America/Hermosillo"),  # Sonora
))

ES = PostalZones("Europe/Madrid", re.compile(r"\d{5}"), (
    ("35", "35", "Atlantic/Canary"),  # Las Palmas
    ("38", "38", "Atlantic/Canary"),  # Santa Cruz de Tenerife
))

PT = PostalZones("Europe/Lisbon", re.compile(r"\d{7}|\d{4}"), (
    ("9000", "9499", "Atlantic/Madeira"),
    ("9500", "9999", "Atlantic/Azores"),
))

# Overseas departments and collectivities use French postal codes 97x and 98x.
FR = PostalZones("Europe/Paris", re.compile(r"\d{5}"), (
    ("971", "971", "America/Guadeloupe"), ("972", "972", "America/Martinique"),
    ("973", "973", "America/Cayenne"), ("974", "974", "Indian/Reunion"),
    ("975", "975", "America/Miquelon"), ("976", "976", "Indian/Mayotte"),
    ("977", "977", "America/St_Barthelemy"), ("978", "978", "America/Marigot"),
    ("986", "986", "Pacific/Wallis"), ("987", "987", "Pacific/Tahiti"), ("988", "988", "Pacific/Noumea"),
))

# Six-digit index: the first three digits name the region. Anything not listed is Moscow time.
RU = PostalZones("Europe/Moscow", re.compile(r"\d{6}"), (
    ("236", "238", "Europe/Kaliningrad"),
    ("400", "404", "Europe/Volgograd"),
    ("410", "413", "Europe/Saratov"),
    ("414", "416", "Europe/Astrakhan"),
    ("426", "427", "Europe/Samara"),  # Udmurtia
    ("432", "433", "Europe/Ulyanovsk"),
    ("443", "446", "Europe/Samara"),
    ("450", "457", "Asia/Yekaterinburg"),  # Bashkortostan, Chelyabinsk
    ("460", "462", "Asia/Yekaterinburg"),  # Orenburg
    ("614", "629", "Asia/Yekaterinburg"),  # Perm, Sverdlovsk, Tyumen, Khanty-Mansi, Yamalo-Nenets
    ("630", "633", "Asia/Novosibirsk"),
    ("634", "636", "Asia/Tomsk"),
    ("640", "641", "Asia/Yekaterinburg"),  # Kurgan
    ("644", "646", "Asia/Omsk"),
    ("649", "649", "Asia/Barnaul"),  # Altai Republic
    ("650", "654", "Asia/Novokuznetsk"),  # Kemerovo
    ("655", "655", "Asia/Krasnoyarsk"),  # Khakassia
    ("656", "659", "Asia/Barnaul"),  # Altai Krai
    ("660", "663", "Asia/Krasnoyarsk"),
    ("664", "666", "Asia/Irkutsk"),
    ("667", "668", "Asia/Krasnoyarsk"),  # Tuva
    ("670", "671", "Asia/Irkutsk"),  # Buryatia
    ("672", "674", "Asia/Chita"),
    ("675", "678", "Asia/Yakutsk"),  # Amur, Sakha
    ("679", "682", "Asia/Vladivostok"),  # Jewish Autonomous Oblast, Khabarovsk
    ("683", "684", "Asia/Kamchatka"),
    ("685", "686", "Asia/Magadan"),
    ("689", "689", "Asia/Anadyr"),  # Chukotka
    ("690", "692", "Asia/Vladivostok"),  # Primorsky
    ("693", "694", "Asia/Sakhalin"),
))

BY_COUNTRY: dict[str, PostalZones] = {
    "US": US, "CA": CA, "AU": AU, "BR": BR, "MX": MX, "ES": ES, "PT": PT, "FR": FR, "RU": RU,
}
