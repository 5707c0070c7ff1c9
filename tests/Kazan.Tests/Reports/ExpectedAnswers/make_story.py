#!/usr/bin/env python3
"""Wrote story.json once (deterministic: a fixed seed and hand-written edge cases). story.json is the checked-in data
set; re-running this script rewrites it, after which expected.py must be re-run too. Standard library only."""
import json
import random
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
rng = random.Random(10)

USERS = [
    {"key": "admin", "role": "Admin", "team": None},
    {"key": "ayse", "name": "Ayşe Yılmaz", "role": "Rep", "team": "kuzey"},
    {"key": "burak", "name": "Burak Demir", "role": "Rep", "team": "kuzey"},
    {"key": "cem", "name": "Cem Kaya", "role": "Rep", "team": "guney"},
    {"key": "deniz", "name": "Deniz Şahin", "role": "Manager", "team": "guney"},
]
DEACTIVATED = ("cem", datetime(2025, 9, 15, 9, 0, tzinfo=timezone.utc))
PIPELINES = [
    {"key": "main", "default": True, "stages": [
        {"name": "Yeni", "probability": 10, "category": "Pipeline"},
        {"name": "Görüşme", "probability": 20, "category": "Pipeline"},
        {"name": "İhtiyaç analizi", "probability": 40, "category": "BestCase"},
        {"name": "Teklif", "probability": 60, "category": "BestCase"},
        {"name": "Pazarlık", "probability": 80, "category": "Commit"}]},
    {"key": "dealer", "name": "Bayi", "default": False, "stages": [
        {"name": "Başvuru", "probability": 30, "category": "Pipeline"},
        {"name": "Değerlendirme", "probability": 50, "category": "BestCase"},
        {"name": "Sözleşme", "probability": 90, "category": "Commit"}]},
]
REASONS = ["Fiyat", "Rakip tercih edildi", "Bütçe yok", "Zamanlama", "İhtiyaç ortadan kalktı", "Yanıt alınamadı", "Diğer"]
SOURCES = ["Web", "Fuar", "Referans", "Soğuk arama", None]
LAST = datetime(2026, 3, 5, 15, 0, tzinfo=timezone.utc)  # nothing happens after this; the test's now is 10 March 2026


def at(d: datetime) -> str:
    return d.strftime("%Y-%m-%dT%H:%M:%SZ")


def owners_at(t):
    return [u["key"] for u in USERS if not (u["key"] == DEACTIVATED[0] and t >= DEACTIVATED[1])]


def money():
    return f"{rng.randint(20, 1000) * 250 + rng.choice([0, 0, 0, 0.5, 0.99, 0.37, 0.65]):.2f}"


def rate(cur):
    return {"TRY": "1", "EUR": f"{rng.randint(350000, 420000) / 10000:.4f}", "USD": f"{rng.randint(320000, 380000) / 10000:.4f}"}[cur]


def random_deal(i, created):
    cur = rng.choices(["TRY", "EUR", "USD"], [7, 2, 1])[0]
    pipeline = "dealer" if i % 9 == 4 else "main"
    stages = len(PIPELINES[0 if pipeline == "main" else 1]["stages"])
    stage = rng.choice([0, 0, 0, 1])
    owner = rng.choice(owners_at(created))
    steps = [{"at": at(created), "do": "create", "pipeline": pipeline, "stage": stage, "amount": money(), "currency": cur, "rate": rate(cur),
              "close": str((created + timedelta(days=rng.randint(30, 150))).date()), "owner": owner, "source": rng.choice(SOURCES)}]
    status, t = "Open", created
    for _ in range(rng.randint(2, 7)):
        t = (t + timedelta(days=rng.randint(2, 40))).replace(hour=rng.choice([3, 9, 15]))
        if t > LAST:
            break
        if status != "Open":
            if rng.random() < 0.25:
                steps.append({"at": at(t), "do": "reopen"})
                status = "Open"
                continue
            break
        kind = rng.choices(["forward", "back", "amount", "close", "category", "probability", "transfer", "won", "lost"],
                           [5, 1, 2, 2, 1, 1, 1, 3, 2])[0]
        if kind == "forward" and stage < stages - 1:
            stage = rng.randint(stage + 1, min(stages - 1, stage + 2))
            steps.append({"at": at(t), "do": "move", "stage": stage})
        elif kind == "back" and stage > 0:
            stage = rng.randint(0, stage - 1)
            steps.append({"at": at(t), "do": "move", "stage": stage})
        elif kind == "amount":
            step = {"at": at(t), "do": "edit", "amount": money()}
            if cur != "TRY" and rng.random() < 0.7:
                step["currency"], step["rate"] = cur, rate(cur)
            steps.append(step)
        elif kind == "close":
            steps.append({"at": at(t), "do": "edit", "close": str((t + timedelta(days=rng.randint(-10, 120))).date())})
        elif kind == "category":
            steps.append({"at": at(t), "do": "category", "category": rng.choice(["Commit", "BestCase", "Pipeline", "Omitted", None])})
        elif kind == "probability":
            steps.append({"at": at(t), "do": "probability", "probability": rng.choice([5, 25, 35, 55, 75, 95, None])})
        elif kind == "transfer":
            others = [o for o in owners_at(t) if o != owner]
            owner = rng.choice(others)
            steps.append({"at": at(t), "do": "transfer", "owner": owner})
        elif kind == "won":
            steps.append({"at": at(t), "do": "won"})
            status = "Won"
        elif kind == "lost":
            steps.append({"at": at(t), "do": "lost", "reason": rng.choice(REASONS[:6])})
            status = "Lost"
    return steps


def d(y, m, day, h=9):
    return datetime(y, m, day, h, tzinfo=timezone.utc)


def create(t, amount, close, owner, stage=0, pipeline="main", currency="TRY", rate_="1", source="Web"):
    return {"at": at(t), "do": "create", "pipeline": pipeline, "stage": stage, "amount": amount, "currency": currency, "rate": rate_,
            "close": close, "owner": owner, "source": source}


# The named edge cases, written by hand.
EDGES = [
    ("Kazanıldı, yeniden açıldı, yine kazanıldı", [
        create(d(2024, 12, 2), "80000.00", "2025-02-15", "ayse"),
        {"at": at(d(2025, 1, 6)), "do": "move", "stage": 3},
        {"at": at(d(2025, 2, 10)), "do": "won"},
        {"at": at(d(2025, 3, 3, 15)), "do": "reopen"},
        {"at": at(d(2025, 3, 4)), "do": "edit", "amount": "95500.50", "close": "2025-05-31"},
        {"at": at(d(2025, 5, 20, 3)), "do": "won"}]),
    ("Kazanıldı, yeniden açıldı, açık kaldı", [
        create(d(2025, 6, 2), "42000.00", "2025-08-31", "burak", stage=1, source="Fuar"),
        {"at": at(d(2025, 7, 14)), "do": "won"},
        {"at": at(d(2025, 8, 4)), "do": "reopen"},
        {"at": at(d(2025, 8, 5)), "do": "move", "stage": 2},
        {"at": at(d(2025, 8, 6)), "do": "edit", "close": "2026-04-30"}]),
    ("Kaybedildi, yeniden açıldı, kazanıldı", [
        create(d(2025, 2, 3, 3), "30000.00", "2025-04-30", "deniz", source="Referans"),
        {"at": at(d(2025, 3, 10)), "do": "lost", "reason": "Fiyat"},
        {"at": at(d(2025, 4, 7)), "do": "reopen"},
        {"at": at(d(2025, 4, 8)), "do": "move", "stage": 4},
        {"at": at(d(2025, 4, 28, 15)), "do": "won"}]),
    ("Bayi kanalına taşındı, kazanıldı", [
        create(d(2025, 1, 13), "64000.00", "2025-05-31", "ayse", source="Web"),
        {"at": at(d(2025, 2, 3)), "do": "move", "stage": 2},
        {"at": at(d(2025, 3, 3)), "do": "pipeline", "pipeline": "dealer", "stage": 0},
        {"at": at(d(2025, 4, 14)), "do": "move", "stage": 2},
        {"at": at(d(2025, 5, 12)), "do": "won"}]),
    ("Bayiye gitti, geri döndü", [
        create(d(2025, 3, 17), "27500.00", "2025-06-30", "burak", stage=1),
        {"at": at(d(2025, 4, 21)), "do": "pipeline", "pipeline": "dealer", "stage": 1},
        {"at": at(d(2025, 5, 19)), "do": "pipeline", "pipeline": "main", "stage": 3},
        {"at": at(d(2025, 6, 16)), "do": "lost", "reason": "Rakip tercih edildi"}]),
    ("Euro, kur değişiyor", [
        create(d(2025, 3, 24), "18000.00", "2025-07-31", "ayse", stage=1, currency="EUR", rate_="35.2000", source="Fuar"),
        {"at": at(d(2025, 4, 28)), "do": "edit", "currency": "EUR", "rate": "36.8750"},
        {"at": at(d(2025, 5, 26)), "do": "move", "stage": 3},
        {"at": at(d(2025, 6, 23)), "do": "edit", "currency": "EUR", "rate": "38.1234"},
        {"at": at(d(2025, 7, 21, 15)), "do": "won"}]),
    ("Dolar, kazanıldıktan sonra kur değişti", [
        create(d(2025, 8, 4), "12345.65", "2025-10-31", "deniz", stage=2, currency="USD", rate_="33.1250", source="Referans"),
        {"at": at(d(2025, 9, 8)), "do": "edit", "currency": "USD", "rate": "34.0005"},
        {"at": at(d(2025, 10, 6)), "do": "won"},
        {"at": at(d(2025, 10, 20)), "do": "edit", "currency": "USD", "rate": "41.9999"}]),
    ("Liradan avroya geçti", [
        create(d(2025, 9, 1, 15), "150000.00", "2025-12-31", "burak", stage=0),
        {"at": at(d(2025, 10, 13)), "do": "edit", "amount": "4000.00", "currency": "EUR", "rate": "40.1235"},
        {"at": at(d(2025, 11, 3)), "do": "move", "stage": 4},
        {"at": at(d(2025, 11, 24)), "do": "category", "category": "BestCase"}]),
    ("Çeyrek sonu gece yarısı kazanıldı", [
        create(d(2025, 5, 5), "55000.00", "2025-06-30", "ayse", stage=2),
        {"at": at(d(2025, 6, 2)), "do": "move", "stage": 4},
        {"at": at(d(2025, 6, 30, 21)), "do": "won"}]),
    ("Cem'den devralındı (Cem ayrıldıktan sonra)", [
        create(d(2025, 7, 7), "72000.00", "2025-11-30", "cem", stage=1, source="Soğuk arama"),
        {"at": at(d(2025, 8, 11)), "do": "move", "stage": 3},
        {"at": at(d(2025, 9, 22)), "do": "transfer", "owner": "deniz"},
        {"at": at(d(2025, 10, 27)), "do": "edit", "close": "2026-01-31"}]),
    ("Cem'de kaldı", [
        create(d(2025, 6, 9, 15), "33000.00", "2025-10-15", "cem", stage=0, source=None),
        {"at": at(d(2025, 7, 28)), "do": "move", "stage": 2},
        {"at": at(d(2025, 9, 29)), "do": "edit", "close": "2026-02-28"}]),
    ("Atlayarak Pazarlığa, geri Görüşmeye", [
        create(d(2025, 10, 6, 3), "21000.37", "2026-01-15", "burak", stage=0, source="Web"),
        {"at": at(d(2025, 10, 20)), "do": "move", "stage": 4},
        {"at": at(d(2025, 11, 17)), "do": "move", "stage": 1},
        {"at": at(d(2025, 12, 15)), "do": "category", "category": "Omitted"},
        {"at": at(d(2026, 1, 12)), "do": "category", "category": None},
        {"at": at(d(2026, 1, 19)), "do": "probability", "probability": 45}]),
    ("Pencereden kaydı", [  # slipped out of the second quarter's window (movement) and out of Q2 (forecast)
        create(d(2025, 3, 10), "26000.00", "2025-06-15", "ayse", stage=1),
        {"at": at(d(2025, 5, 12)), "do": "edit", "close": "2025-11-30"},
        {"at": at(d(2025, 12, 8)), "do": "won"}]),
    ("Devredildi, sonra kazanıldı", [  # Deniz's at the start of the span, Ayşe's and won at its end: moved out of Deniz's pipeline
        create(d(2025, 8, 18), "47000.00", "2025-12-15", "deniz", stage=2, source="Referans"),
        {"at": at(d(2025, 10, 1)), "do": "transfer", "owner": "ayse"},
        {"at": at(d(2025, 11, 3, 15)), "do": "won"}]),
    ("Dördüncü çeyrekte bayiye taşındı", [
        create(d(2025, 9, 8), "38000.00", "2026-02-27", "burak", stage=1),
        {"at": at(d(2025, 11, 10)), "do": "pipeline", "pipeline": "dealer", "stage": 0}]),
    ("Kapanışı öne çekildi", [
        create(d(2025, 9, 15, 15), "19000.00", "2026-03-20", "ayse", stage=0),
        {"at": at(d(2025, 11, 24)), "do": "edit", "close": "2025-12-20"}]),
    ("Dönem içinde açılıp kaybedildi", [  # created and lost within the second quarter: on no line of its waterfall
        create(d(2025, 4, 14), "15000.00", "2025-06-30", "burak"),
        {"at": at(d(2025, 5, 26)), "do": "lost", "reason": "Bütçe yok"}]),
    ("Kendi olasılığıyla bayiye taşındı", [  # the rep's probability and category stay through a pipeline move
        create(d(2025, 10, 20), "52000.00", "2026-04-30", "deniz", stage=2, source="Fuar"),
        {"at": at(d(2025, 11, 3)), "do": "probability", "probability": 35},
        {"at": at(d(2025, 11, 17)), "do": "category", "category": "Commit"},
        {"at": at(d(2025, 12, 1)), "do": "pipeline", "pipeline": "dealer", "stage": 1},
        {"at": at(d(2026, 1, 5)), "do": "probability", "probability": None}]),
]


def main():
    deals = []
    random_count = 60 - len(EDGES)
    start = datetime(2024, 9, 2, 9, tzinfo=timezone.utc)
    for i in range(random_count):
        created = (start + timedelta(days=int(i * 515 / random_count) + rng.randint(0, 6))).replace(hour=rng.choice([3, 9, 15]))
        deals.append({"key": f"D{i + 1:02d}", "title": f"Fırsat {i + 1:02d}", "steps": random_deal(i, created)})
    for n, (title, steps) in enumerate(EDGES):
        deals.append({"key": f"E{n + 1:02d}", "title": title, "steps": steps})
    story = {
        "about": "Kazan's expected-answer data set: 60 deals over 18 months (September 2024 to March 2026). See README.md.",
        "baseCurrency": "TRY",
        "timeZone": "Europe/Istanbul",
        "utcOffsetHours": 3,
        "start": "2024-09-01T09:00:00Z",
        "now": "2026-03-10T09:00:00Z",
        "users": USERS,
        "teams": [{"key": "kuzey", "name": "Kuzey"}, {"key": "guney", "name": "Güney"}],
        "deactivations": [{"user": DEACTIVATED[0], "at": at(DEACTIVATED[1])}],
        "pipelines": PIPELINES,
        "lostReasons": REASONS,
        "deals": deals,
    }
    (HERE / "story.json").write_text(json.dumps(story, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
