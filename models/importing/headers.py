"""Column headers: English names with Latvian and Russian aliases, matched case-insensitively."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from models.importing import problems
from models.importing.keys import header_key
from models.importing.problems import ImportRefused, Problem
from models.importing.spec import Column, Kind

# Other spellings of each column name. Headers are compared by header_key(): case,
# diacritics, Cyrillic-vs-Latin spelling, spaces and punctuation do not matter.
ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("kods", "код"),
    "name": ("nosaukums", "название", "наименование"),
    "name_lv": ("name", "nosaukums", "nosaukums_lv", "название", "название_lv"),
    "name_en": ("nosaukums_en", "nosaukums angliski", "название_en", "english name"),
    "address": ("adrese", "адрес"),
    "kind": ("veids", "tips", "тип", "вид", "type"),
    "building": ("ēka", "korpuss", "здание", "корпус", "building code"),
    "capacity": ("vietas", "ietilpība", "vietu skaits", "вместимость", "мест"),
    "programme": ("programma", "программа", "program", "programme code"),
    "speciality": ("specialitāte", "kvalifikācija", "специальность", "specialty"),
    "duration_years": ("ilgums", "ilgums gados", "срок обучения", "years", "duration"),
    "aliases": ("sinonīmi", "citi nosaukumi", "синонимы"),
    "block": ("bloks", "блок"),
    "grading": ("vērtēšana", "vērtējuma veids", "оценивание"),
    "first_name": ("vārds", "имя", "given name"),
    "last_name": ("uzvārds", "фамилия", "surname", "family name"),
    "email": ("e-pasts", "epasts", "e-mail", "электронная почта", "почта"),
    "main_building": ("galvenā ēka", "основной корпус"),
    "room": ("telpa", "kabinets", "кабинет", "аудитория", "room code"),
    "is_pedagogical": ("pedagogs", "pedagoģiskais", "педагог"),
    "active": ("aktīvs", "strādā", "активен"),
    "roles": ("lomas", "amati", "роли", "должности", "role"),
    "course": ("kurss", "курс", "year"),
    "home_building": ("mājas ēka", "grupas ēka", "корпус группы"),
    "study_form": ("mācību forma", "форма обучения"),
    "tutors": ("audzinātājs", "audzinātāji", "куратор", "кураторы", "tutor"),
    "is_prison": ("cietums", "ieslodzījuma vietā", "в тюрьме", "prison"),
    "bot_access": ("piekļuve botam", "bota piekļuve", "доступ к боту"),
    "status": ("statuss", "статус"),
    "group": ("grupa", "группа", "group code", "grupas kods"),
    "student_number": (
        "audzēkņa nr",
        "audzēkņa numurs",
        "audzēknis",
        "номер студента",
        "номер учащегося",
        "student no",
        "student",
    ),
    "birth_date": ("dzimšanas datums", "дата рождения", "date of birth"),
    "gender": ("dzimums", "пол", "sex"),
    "dorm_building": ("dienesta viesnīca", "общежитие", "dormitory"),
    "dorm_room": ("istaba", "dienesta viesnīcas istaba", "комната", "dormitory room"),
    "lesson_no": ("stunda", "stundas nr", "урок", "номер урока", "lesson"),
    "start": ("sākums", "начало", "start time", "no plkst"),
    "end": ("beigas", "конец", "end time", "līdz plkst"),
    "weekday": ("nedēļas diena", "diena", "день недели", "день", "day"),
    "subject": ("priekšmets", "mācību priekšmets", "предмет", "subject code"),
    "teacher": ("skolotājs", "pasniedzējs", "преподаватель", "учитель", "staff code"),
    "subgroup": ("apakšgrupa", "подгруппа"),
    "week_parity": ("nedēļa", "nedēļas paritāte", "неделя", "чётность недели"),
    "valid_from": ("derīgs no", "spēkā no", "действует с", "from"),
    "valid_to": ("derīgs līdz", "spēkā līdz", "действует до", "to", "until"),
    "date": ("datums", "дата"),
    "change_type": ("izmaiņu veids", "izmaiņa", "тип изменения", "изменение", "change"),
    "new_teacher": ("aizvietotājs", "jaunais skolotājs", "замена", "новый преподаватель"),
    "new_room": ("jaunā telpa", "новый кабинет"),
    "moved_to_date": ("pārcelts uz datumu", "перенесено на дату"),
    "moved_to_lesson": ("pārcelts uz stundu", "перенесено на урок"),
    "reason": ("iemesls", "причина"),
    "date_from": ("no datuma", "sākuma datums", "дата начала", "from"),
    "date_to": ("līdz datumam", "beigu datums", "дата окончания", "to", "until"),
    "service": ("pakalpojums", "dienests", "служба", "service name"),
    "note": ("piezīme", "примечание", "comment"),
    "anonymous_allowed": ("anonīmi", "анонимно", "anonymous"),
    "booking_required": ("pēc pieraksta", "pieteikšanās", "по записи", "booking"),
    "legal_form": ("juridiskā forma", "правовая форма"),
    "sector": ("nozare", "отрасль"),
    "city": ("pilsēta", "город"),
    "country": ("valsts", "страна"),
    "specialities": ("specialitātes", "специальности"),
    "company": ("uzņēmums", "компания", "предприятие", "company name"),
    "start_date": ("sākuma datums", "no datuma", "дата начала", "from", "start"),
    "end_date": ("beigu datums", "līdz datumam", "дата окончания", "to", "end"),
    "company_supervisor": ("vadītājs uzņēmumā", "руководитель от предприятия"),
    "school_supervisor": ("vadītājs skolā", "prakses vadītājs", "руководитель от школы"),
    "agreement_no": ("līguma nr", "līgums", "номер договора", "договор"),
    "agreement_signed": ("līgums parakstīts", "договор подписан"),
    "diary_due": ("dienasgrāmatas termiņš", "срок дневника"),
    "diary_received": ("dienasgrāmata saņemta", "дневник получен"),
    "characterisation_due": ("raksturojuma termiņš", "срок характеристики"),
    "characterisation_received": ("raksturojums saņemts", "характеристика получена"),
    "result": ("rezultāts", "результат"),
    "funding": ("finansējums", "финансирование"),
    "value": ("atzīme", "vērtējums", "оценка", "mark", "grade"),
}


def column_keys(kind: type[Kind]) -> dict[str, Column]:
    """Map every accepted header key of a kind to its column."""
    found = {header_key(column.name): column for column in kind.columns}
    for column in kind.columns:
        for spelling in (*ALIASES.get(column.name, ()), *column.aliases):
            found.setdefault(header_key(spelling), column)
    return found


@dataclass(frozen=True)
class Layout:
    """Where each known column sits in the file, and which headers were not recognised."""

    positions: tuple[tuple[Column, int], ...]
    headers: dict[str, str]  # column name -> header as written
    ignored: tuple[str, ...]

    @cached_property
    def _places(self) -> dict[str, int]:
        return {self.headers[column.name]: index for column, index in self.positions}

    def problem_order(self, problem: Problem) -> tuple[int, int]:
        """Sort key of a problem: by row, then by the column's place in the file."""
        return problem.row, self._places.get(problem.column, len(self._places))


def match_headers(kind: type[Kind], headers: Sequence[str]) -> tuple[dict[str, int], list[str]]:
    """Return column name -> position (first occurrence) and the unrecognised headers."""
    keys = column_keys(kind)
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, header in enumerate(headers):
        column = keys.get(header_key(header))
        if column is None:
            if header:
                ignored.append(header)
        else:
            positions.setdefault(column.name, index)
    return positions, ignored


def layout(kind: type[Kind], headers: Sequence[str], file_name: str) -> Layout:
    """Place the kind's columns in the file; refuse repeated or missing required columns."""
    keys = column_keys(kind)
    seen: dict[str, int] = {}
    for index, header in enumerate(headers):
        column = keys.get(header_key(header))
        if column is not None and column.name in seen:
            raise ImportRefused(file_name, problems.REPEATED_COLUMN, column=header)
        if column is not None:
            seen[column.name] = index
    missing = [
        column.name for column in kind.columns if column.required and column.name not in seen
    ]
    if missing:
        raise ImportRefused(file_name, problems.MISSING_COLUMNS, columns=", ".join(missing))
    by_name = {column.name: column for column in kind.columns}
    _, ignored = match_headers(kind, headers)
    return Layout(
        positions=tuple((by_name[name], index) for name, index in seen.items()),
        headers={name: headers[index] for name, index in seen.items()},
        ignored=tuple(ignored),
    )
