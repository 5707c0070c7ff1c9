#!/usr/bin/env python3
"""
The reports' expected figures for story.json, worked out from docs/domain.md ("Opportunities", "History and the past",
"Reports") and nothing else: this script never reads Kazan's code or database. It replays each deal's steps into the
states the rules give, then answers every query in QUERIES; the result is expected.json, which ExpectedAnswersTests
compares with the API's answers on SQLite and PostgreSQL.

Run: python3 expected.py   (standard library only; rewrites expected.json next to it)
"""
import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, ROUND_HALF_UP
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
STORY = json.loads((HERE / "story.json").read_text(encoding="utf-8"))
ZONE = timezone(timedelta(hours=STORY["utcOffsetHours"]))  # Turkey: UTC+3 all year
NOW = datetime.fromisoformat(STORY["now"].replace("Z", "+00:00"))
PIPES = {p["key"]: p for p in STORY["pipelines"]}
DEFAULT_PIPE = next(p["key"] for p in STORY["pipelines"] if p["default"])
REASONS = STORY["lostReasons"]
TEAM_OF = {u["key"]: u["team"] for u in STORY["users"]}


def r2(x) -> Decimal:
    """Money: half away from zero to 2 places (domain.md "Money")."""
    return Decimal(x).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def rnd(x: Fraction, places: int) -> Decimal:
    """A ratio rounded half away from zero (every figure in this file is ≥ 0)."""
    q = Decimal(1).scaleb(-places)
    return (Decimal(x.numerator) / Decimal(x.denominator)).quantize(q, rounding=ROUND_HALF_UP) if x.denominator != 1 else Decimal(x.numerator).quantize(q)


def parse(t: str) -> datetime:
    return datetime.fromisoformat(t.replace("Z", "+00:00"))


def day_of(t: datetime) -> date:
    """The organization's day of an instant."""
    return t.astimezone(ZONE).date()


def start_of(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=ZONE).astimezone(timezone.utc)


def end_of(d: date) -> datetime:
    """The last instant of an organization's day ("as of" a day), to the tick the app uses (100 ns)."""
    return start_of(d + timedelta(days=1)) - timedelta(microseconds=1)


def money(x) -> str:
    return f"{r2(x):.2f}"


# ---------------------------------------------------------------------------------------------------------------
# The deals' lives: each step gives the state right after it ("History and the past").

class Deal:
    def __init__(self, spec):
        self.key, self.title = spec["key"], spec["title"]
        self.events = []  # (instant, kind, state)
        self.created = None
        self.source = None
        for step in spec["steps"]:
            self.apply(step)

    def stage_info(self):
        return PIPES[self.pipeline]["stages"][self.stage]

    def state(self):
        base = r2(Decimal(self.amount) * Decimal(self.rate))  # forecast amount × the deal's own rate
        if self.status == "Won":
            prob, cat = 100, "Commit"
        elif self.status == "Lost":
            prob, cat = 0, "Omitted"
        else:
            prob = self.prob_override if self.prob_override is not None else self.stage_info()["probability"]
            cat = self.cat_override if self.cat_override is not None else self.stage_info()["category"]
        return {
            "pipeline": self.pipeline, "stage": self.stage, "status": self.status, "owner": self.owner,
            "total": base, "weighted": r2(base * prob / 100), "close": self.close, "category": cat,
            "closedOn": self.closed_on, "reason": self.reason,
        }

    def apply(self, step):
        t, do = parse(step["at"]), step["do"]
        if do == "create":
            self.created, self.source = t, step["source"]
            self.pipeline, self.stage, self.owner = step["pipeline"], step["stage"], step["owner"]
            self.amount, self.currency = Decimal(step["amount"]), step["currency"]
            self.rate = Decimal(step["rate"]) if self.currency != STORY["baseCurrency"] else Decimal(1)
            self.close = date.fromisoformat(step["close"])
            self.status, self.closed_on, self.reason = "Open", None, None
            self.prob_override = self.cat_override = None
            kind = "created"
        elif do == "move":
            assert self.status == "Open" and step["stage"] != self.stage
            self.stage, kind = step["stage"], "moved"
        elif do == "pipeline":
            # Another pipeline's stage: that stage's probability and category, under the rep's overrides, which stay.
            assert self.status == "Open"
            self.pipeline, self.stage, kind = step["pipeline"], step["stage"], "moved"
        elif do == "won":
            assert self.status == "Open"
            self.status, self.closed_on, kind = "Won", day_of(t), "won"
        elif do == "lost":
            assert self.status == "Open"
            self.status, self.closed_on, self.reason, kind = "Lost", day_of(t), step["reason"], "lost"
        elif do == "reopen":
            assert self.status != "Open"
            self.status, self.closed_on, self.reason, kind = "Open", None, None, "reopened"
        elif do == "transfer":
            self.owner, kind = step["owner"], "owner"
        elif do == "edit":
            if "amount" in step:
                self.amount = Decimal(step["amount"])
            if "currency" in step:
                self.currency = step["currency"]
                self.rate = Decimal(step["rate"]) if self.currency != STORY["baseCurrency"] else Decimal(1)
            if "close" in step:
                self.close = date.fromisoformat(step["close"])
            kind = "changed"
        elif do == "category":
            self.cat_override, kind = step["category"], "changed"
        elif do == "probability":
            self.prob_override, kind = step["probability"], "changed"
        else:
            raise ValueError(do)
        self.events.append((t, kind, self.state()))

    def at(self, moment):
        """The state as of a moment (None: not created yet); moment None is now."""
        states = [s for (t, _, s) in self.events if moment is None or t <= moment]
        return states[-1] if states else None


DEALS = [Deal(d) for d in STORY["deals"]]


def deals_at(moment, owner=None, team=None):
    """The report deals at a moment (now when None), under the owner filter or the team filter (its members today)."""
    out = []
    for d in DEALS:
        s = d.at(moment)
        if s is None or (owner and s["owner"] != owner) or (team and TEAM_OF[s["owner"]] != team):
            continue
        out.append((d, s))
    return out


# ---------------------------------------------------------------------------------------------------------------
# The reports, each from its paragraph of domain.md.

def pipeline(pipe=None, as_of=None, owner=None, team=None):
    pipe = pipe or DEFAULT_PIPE
    open_ = [(d, s) for d, s in deals_at(as_of, owner, team) if s["status"] == "Open" and s["pipeline"] == pipe]

    def row(items):
        return {"count": len(items), "total": money(sum((s["total"] for _, s in items), Decimal(0))),
                "weighted": money(sum((s["weighted"] for _, s in items), Decimal(0)))}

    owners = sorted({s["owner"] for _, s in open_})
    owner_rows = [dict(id="{user:%s}" % o, **row([x for x in open_ if x[1]["owner"] == o])) for o in owners]
    owner_rows.sort(key=lambda r: -Decimal(r["total"]))
    return {
        "stages": [dict(name=st["name"], **row([x for x in open_ if x[1]["stage"] == i])) for i, st in enumerate(PIPES[pipe]["stages"])],
        "owners": owner_rows,
        "total": row(open_),
    }


def period_start(d: date, quarter: bool) -> date:
    return date(d.year, (d.month - 1) // 3 * 3 + 1, 1) if quarter else date(d.year, d.month, 1)


def add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    return date(d.year + m // 12, m % 12 + 1, 1)


def forecast(period, frm, count, as_of=None, pipe=None, owner=None):
    quarter = period == "quarter"
    step = 3 if quarter else 1
    start = period_start(frm, quarter)
    moment = as_of or NOW
    deals = [(d, s) for d, s in deals_at(as_of, owner) if pipe is None or s["pipeline"] == pipe]

    def cell(items, weighted=True):
        c = {"count": len(items), "total": money(sum((s["total"] for _, s in items), Decimal(0)))}
        if weighted:
            c["weighted"] = money(sum((s["weighted"] for _, s in items), Decimal(0)))
        return c

    rows = []
    for i in range(count):
        p = add_months(start, i * step)
        q = add_months(p, step)
        won = [(d, s) for d, s in deals if s["status"] == "Won" and p <= s["closedOn"] < q]
        open_ = {c: [(d, s) for d, s in deals if s["status"] == "Open" and p <= s["close"] < q and s["category"] == c]
                 for c in ("Commit", "BestCase", "Pipeline", "Omitted")}
        tot = lambda xs: sum((s["total"] for _, s in xs), Decimal(0))
        wtd = lambda xs: sum((s["weighted"] for _, s in xs), Decimal(0))
        committed = tot(won) + tot(open_["Commit"])
        # Slipped: open and expected in the period when it began (or when created in it, up to the report's moment),
        # now (as of the moment) open and expected after it. Nothing has slipped from a period not begun.
        slipped = []
        began = start_of(p)
        if began < moment:
            until = min(moment, start_of(q))
            for d, s in deals:
                then = d.at(began)
                was = then is not None and then["status"] == "Open" and p <= then["close"] < q
                c0 = d.events[0][2]
                created_in = began < d.created < until and c0["status"] == "Open" and p <= c0["close"] < q
                if (was or created_in) and s["status"] == "Open" and s["close"] >= q:
                    slipped.append((d, s))
        rows.append({
            "period": f"{p.year}-Q{(p.month - 1) // 3 + 1}" if quarter else f"{p.year}-{p.month:02d}",
            "won": cell(won, weighted=False), "commit": cell(open_["Commit"]), "bestCaseDeals": cell(open_["BestCase"]),
            "pipeline": cell(open_["Pipeline"]), "omitted": cell(open_["Omitted"]),
            "committed": money(committed), "bestCase": money(committed + tot(open_["BestCase"])),
            "weighted": money(tot(won) + wtd(open_["Commit"]) + wtd(open_["BestCase"]) + wtd(open_["Pipeline"])),
            "slipped": cell(slipped),
        })
    return {"rows": rows}


def closing_value(d, moment):
    """A closed deal's value: its base-currency forecast amount in the state of its last won or lost event at or before the moment."""
    return [s for (t, k, s) in d.events if k in ("won", "lost") and (moment is None or t <= moment)][-1]["total"]


def rate(won, all_):
    return None if all_ == 0 else f"{rnd(Fraction(won) / Fraction(all_), 4)}"


def win_rate(period, frm, count, by, as_of=None, pipe=None):
    quarter = period == "quarter"
    step = 3 if quarter else 1
    start = period_start(frm, quarter)
    end = add_months(start, count * step)
    closed = [(d, s, closing_value(d, as_of)) for d, s in deals_at(as_of)
              if s["status"] in ("Won", "Lost") and start <= s["closedOn"] < end and (pipe is None or s["pipeline"] == pipe)]

    def row(key, items):
        won = [v for _, s, v in items if s["status"] == "Won"]
        lost = [v for _, s, v in items if s["status"] == "Lost"]
        wv, lv = sum(won, Decimal(0)), sum(lost, Decimal(0))
        return {"key": key, "wonCount": len(won), "wonValue": money(wv), "lostCount": len(lost), "lostValue": money(lv),
                "rateByCount": rate(len(won), len(won) + len(lost)), "rateByValue": rate(wv, wv + lv), "_name": key}

    if by == "period":
        rows = []
        for i in range(count):
            p = add_months(start, i * step)
            q = add_months(p, step)
            rows.append(row(p.isoformat(), [x for x in closed if p <= x[1]["closedOn"] < q]))
    else:
        keyf = {"owner": lambda d, s: "{user:%s}" % s["owner"], "source": lambda d, s: d.source or "",
                "pipeline": lambda d, s: "{pipeline:%s}" % s["pipeline"]}[by]
        keys = sorted({keyf(d, s) for d, s, _ in closed})
        rows = [row(k, [x for x in closed if keyf(x[0], x[1]) == k]) for k in keys]
        rows.sort(key=lambda r: (-Decimal(r["wonValue"]), -r["wonCount"], r["_name"]))
    for r in rows:
        del r["_name"]
    total = row("", closed)
    del total["_name"], total["key"]
    reasons = []
    for pos, name in enumerate(REASONS):  # all active: every reason is listed, empty ones too
        lost = [v for d, s, v in closed if s["status"] == "Lost" and s["reason"] == name]
        reasons.append((sum(lost, Decimal(0)), len(lost), pos, {"name": name, "count": len(lost), "amount": money(sum(lost, Decimal(0)))}))
    reasons.sort(key=lambda x: (-x[0], -x[1], x[2]))
    return {"rows": rows, "total": total, "lostReasons": [x[3] for x in reasons]}


def funnel(frm, to, pipe=None, owner=None):
    pipe = pipe or DEFAULT_PIPE
    stages = PIPES[pipe]["stages"]
    start, end = start_of(frm), start_of(to + timedelta(days=1))
    cohort = [d for d in DEALS if start <= d.created < end and d.events[0][2]["pipeline"] == pipe and owner in (None, d.at(None)["owner"])]
    won_pos = len(stages)  # beyond the last stage

    def furthest(d):
        return max((won_pos if s["status"] == "Won" else s["stage"]) for (_, _, s) in d.events if s["pipeline"] == pipe)

    far = [furthest(d) for d in cohort]
    now = [d.at(None) for d in cohort]
    reached = [sum(1 for f in far if f >= k) for k in range(len(stages))]
    rows = []
    for k, st in enumerate(stages):
        nxt = reached[k + 1] if k + 1 < len(stages) else sum(1 for f in far if f == won_pos)
        rows.append({
            "name": st["name"], "reached": reached[k],
            "conversion": None if reached[k] == 0 else f"{rnd(Fraction(100 * nxt, reached[k]), 1)}",
            "lost": sum(1 for s in now if s["status"] == "Lost" and s["pipeline"] == pipe and s["stage"] == k),
            "open": sum(1 for s in now if s["status"] == "Open" and s["pipeline"] == pipe and s["stage"] == k),
        })
    return {
        "created": len(cohort),
        "won": sum(1 for s in now if s["status"] == "Won" and s["pipeline"] == pipe),
        "lost": sum(1 for s in now if s["status"] == "Lost" and s["pipeline"] == pipe),
        "open": sum(1 for s in now if s["status"] == "Open" and s["pipeline"] == pipe),
        "movedOut": sum(1 for s in now if s["pipeline"] != pipe),
        "stages": rows,
    }


def avg_median(values):
    if not values:
        return None, None
    values = sorted(values)
    n = len(values)
    mid = values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2
    return f"{rnd(sum(values, Fraction(0)) / n, 2)}", f"{rnd(Fraction(mid), 2)}"


def velocity(frm, to, pipe=None, owner=None):
    pipe = pipe or DEFAULT_PIPE
    deals = [d for d in DEALS if owner in (None, d.at(None)["owner"])]  # the owner filter is on the deal's owner today
    start, end = start_of(frm), start_of(to + timedelta(days=1))
    stays = {i: [] for i in range(len(PIPES[pipe]["stages"]))}
    for d in deals:
        current = None  # (pipeline, stage, since) while open in a stage
        for t, kind, s in d.events:
            if kind not in ("created", "moved", "won", "lost", "reopened"):
                continue
            if current and kind in ("moved", "won", "lost"):
                if current[0] == pipe and start <= t < end:
                    stays[current[1]].append(Fraction(int((t - current[2]).total_seconds()), 86400))
                current = None
            if s["status"] == "Open" and kind in ("created", "moved", "reopened"):
                current = (s["pipeline"], s["stage"], t)
    rows = []
    for i, st in enumerate(PIPES[pipe]["stages"]):
        a, m = avg_median(stays[i])
        rows.append({"name": st["name"], "stays": len(stays[i]), "averageDays": a, "medianDays": m})

    live = [(d, d.at(None)) for d in deals]
    closed = [(d, s) for d, s in live if s["pipeline"] == pipe and s["status"] in ("Won", "Lost") and frm <= s["closedOn"] <= to]
    won = [(d, s) for d, s in closed if s["status"] == "Won"]
    lost = len(closed) - len(won)
    open_ = sum(1 for d, s in live if s["pipeline"] == pipe and s["status"] == "Open")
    cycles = [Fraction((s["closedOn"] - day_of(d.created)).days) for d, s in won]
    ca, cm = avg_median(cycles)
    won_sum = sum((s["total"] for _, s in won), Decimal(0))
    avg_cycle = sum(cycles, Fraction(0)) / len(cycles) if cycles else Fraction(0)
    vel = None
    if won and avg_cycle > 0:
        vel = f"{rnd(Fraction(open_) * Fraction(won_sum) / (len(won) + lost) / avg_cycle, 2)}"
    return {
        "stages": rows, "wonDeals": len(won), "lostDeals": lost, "averageCycleDays": ca, "medianCycleDays": cm, "openDeals": open_,
        "winRate": None if not closed else f"{rnd(Fraction(100 * len(won), len(closed)), 1)}",
        "averageWon": None if not won else f"{rnd(Fraction(won_sum) / len(won), 2)}",
        "velocity": vel,
    }


def movement(frm, to, close_from, close_to, pipe=None, owner=None):
    start_moment = end_of(frm - timedelta(days=1))
    end_moment = None if to >= day_of(NOW) else end_of(to)

    def ours(s):
        return (pipe is None or s["pipeline"] == pipe) and (owner is None or s["owner"] == owner)

    def in_window(s):
        return s is not None and ours(s) and s["status"] == "Open" and close_from <= s["close"] <= close_to

    lines = {k: [0, Decimal(0)] for k in ("New", "MovedIn", "Increased", "Decreased", "Slipped", "Won", "Lost", "MovedOut")}
    start_n = start_t = end_n = end_t = 0
    for d in DEALS:
        a, b = d.at(start_moment), d.at(end_moment)
        s_in, e_in = in_window(a), in_window(b)
        if s_in:
            start_n, start_t = start_n + 1, start_t + a["total"]
        if e_in:
            end_n, end_t = end_n + 1, end_t + b["total"]
        if not s_in and not e_in:
            continue  # in neither pipeline: on no line
        kinds = []
        if e_in and not s_in:
            kinds.append(("New" if d.created > start_moment else "MovedIn", b["total"]))
        if s_in:
            change = b["total"] - a["total"]
            if change:
                kinds.append(("Increased" if change > 0 else "Decreased", change))
            if not e_in:
                if not ours(b):
                    left = "MovedOut"  # another pipeline or owner, whatever became of it
                elif b["status"] in ("Won", "Lost"):
                    left = b["status"]
                elif b["close"] > close_to:
                    left = "Slipped"
                else:
                    left = "MovedOut"  # close date moved before the window
                kinds.append((left, -b["total"]))
        for k, amount in kinds:
            lines[k][0] += 1
            lines[k][1] += amount
    return {
        "start": {"count": start_n, "total": money(start_t)},
        "lines": [{"kind": k, "count": n, "amount": money(v)} for k, (n, v) in lines.items()],
        "end": {"count": end_n, "total": money(end_t)},
    }


D = date.fromisoformat
T = parse
QUERIES = [
    ("pipeline now", "pipeline", "/api/v1/reports/pipeline", pipeline()),
    ("pipeline now, Bayi", "pipeline", "/api/v1/reports/pipeline?pipelineId={pipeline:dealer}", pipeline("dealer")),
    ("pipeline now, Kuzey team", "pipeline", "/api/v1/reports/pipeline?teamId={team:kuzey}", pipeline(team="kuzey")),
    ("pipeline now, Cem (deactivated)", "pipeline", "/api/v1/reports/pipeline?ownerId={user:cem}", pipeline(owner="cem")),
    ("pipeline as of 2025-03-31 end", "pipeline", "/api/v1/reports/pipeline?asOf=2025-03-31T20:59:59Z", pipeline(as_of=T("2025-03-31T20:59:59Z"))),
    ("pipeline as of 2025-06-30 end", "pipeline", "/api/v1/reports/pipeline?asOf=2025-06-30T20:59:59Z", pipeline(as_of=T("2025-06-30T20:59:59Z"))),
    ("pipeline as of 2025-10-01 noon, Bayi", "pipeline", "/api/v1/reports/pipeline?pipelineId={pipeline:dealer}&asOf=2025-10-01T09:00:00Z",
     pipeline("dealer", as_of=T("2025-10-01T09:00:00Z"))),
    ("pipeline as of 2025-12-15 end, Bayi", "pipeline", "/api/v1/reports/pipeline?pipelineId={pipeline:dealer}&asOf=2025-12-15T20:59:59Z",
     pipeline("dealer", as_of=T("2025-12-15T20:59:59Z"))),
    ("forecast by quarter as of 2025-12-15 end, Bayi", "forecast",
     "/api/v1/reports/forecast?period=quarter&from=2025-10-01&count=3&pipelineId={pipeline:dealer}&asOf=2025-12-15T20:59:59Z",
     forecast("quarter", D("2025-10-01"), 3, as_of=T("2025-12-15T20:59:59Z"), pipe="dealer")),
    ("pipeline as of 2025-12-31 end, Ayşe", "pipeline", "/api/v1/reports/pipeline?ownerId={user:ayse}&asOf=2025-12-31T20:59:59Z",
     pipeline(owner="ayse", as_of=T("2025-12-31T20:59:59Z"))),
    ("forecast by quarter 2025, all pipelines", "forecast", "/api/v1/reports/forecast?period=quarter&from=2025-01-01&count=4",
     forecast("quarter", D("2025-01-01"), 4)),
    ("forecast by month 2025-12 to 2026-05", "forecast", "/api/v1/reports/forecast?period=month&from=2025-12-01&count=6",
     forecast("month", D("2025-12-01"), 6)),
    ("forecast by quarter as of 2025-06-30 end", "forecast", "/api/v1/reports/forecast?period=quarter&from=2025-04-01&count=3&asOf=2025-06-30T20:59:59Z",
     forecast("quarter", D("2025-04-01"), 3, as_of=T("2025-06-30T20:59:59Z"))),
    ("forecast by month, default pipeline, Burak", "forecast",
     "/api/v1/reports/forecast?period=month&from=2025-07-01&count=6&pipelineId={pipeline:main}&ownerId={user:burak}",
     forecast("month", D("2025-07-01"), 6, pipe="main", owner="burak")),
    ("win rate by month 2025", "winRate", "/api/v1/reports/win-rate?period=month&from=2025-01-01&count=12", win_rate("month", D("2025-01-01"), 12, "period")),
    ("win rate by quarter, 18 months", "winRate", "/api/v1/reports/win-rate?period=quarter&from=2024-09-01&count=7",
     win_rate("quarter", D("2024-09-01"), 7, "period")),
    ("win rate by owner 2025", "winRate", "/api/v1/reports/win-rate?period=quarter&from=2025-01-01&count=4&by=owner",
     win_rate("quarter", D("2025-01-01"), 4, "owner")),
    ("win rate by source 2025", "winRate", "/api/v1/reports/win-rate?period=quarter&from=2025-01-01&count=4&by=source",
     win_rate("quarter", D("2025-01-01"), 4, "source")),
    ("win rate by pipeline 2025", "winRate", "/api/v1/reports/win-rate?period=quarter&from=2025-01-01&count=4&by=pipeline",
     win_rate("quarter", D("2025-01-01"), 4, "pipeline")),
    ("win rate by quarter, Bayi", "winRate", "/api/v1/reports/win-rate?period=quarter&from=2024-09-01&count=7&pipelineId={pipeline:dealer}",
     win_rate("quarter", D("2024-09-01"), 7, "period", pipe="dealer")),
    ("win rate by month as of 2025-02-28 end", "winRate", "/api/v1/reports/win-rate?period=month&from=2024-09-01&count=6&asOf=2025-02-28T20:59:59Z",
     win_rate("month", D("2024-09-01"), 6, "period", as_of=T("2025-02-28T20:59:59Z"))),
    ("funnel, deals created 2024-09 to 2025-08", "funnel", "/api/v1/reports/funnel?from=2024-09-01&to=2025-08-31", funnel(D("2024-09-01"), D("2025-08-31"))),
    ("funnel, all 18 months", "funnel", "/api/v1/reports/funnel?from=2024-09-01&to=2026-03-10", funnel(D("2024-09-01"), D("2026-03-10"))),
    ("funnel, Burak's deals (owner today)", "funnel", "/api/v1/reports/funnel?ownerId={user:burak}&from=2024-09-01&to=2026-03-10",
     funnel(D("2024-09-01"), D("2026-03-10"), owner="burak")),
    ("funnel, Bayi", "funnel", "/api/v1/reports/funnel?pipelineId={pipeline:dealer}&from=2024-09-01&to=2026-03-10",
     funnel(D("2024-09-01"), D("2026-03-10"), "dealer")),
    ("velocity 2025", "velocity", "/api/v1/reports/velocity?from=2025-01-01&to=2025-12-31", velocity(D("2025-01-01"), D("2025-12-31"))),
    ("velocity, 18 months", "velocity", "/api/v1/reports/velocity?from=2024-09-01&to=2026-03-10", velocity(D("2024-09-01"), D("2026-03-10"))),
    ("velocity, Ayşe's deals (owner today)", "velocity", "/api/v1/reports/velocity?ownerId={user:ayse}&from=2024-09-01&to=2026-03-10",
     velocity(D("2024-09-01"), D("2026-03-10"), owner="ayse")),
    ("velocity, Bayi", "velocity", "/api/v1/reports/velocity?pipelineId={pipeline:dealer}&from=2024-09-01&to=2026-03-10",
     velocity(D("2024-09-01"), D("2026-03-10"), "dealer")),
    ("movement Q2 2025, closing in Q2-Q3", "movement", "/api/v1/reports/movement?from=2025-04-01&to=2025-06-30&closeFrom=2025-04-01&closeTo=2025-09-30",
     movement(D("2025-04-01"), D("2025-06-30"), D("2025-04-01"), D("2025-09-30"))),
    ("movement Q4 2025, closing in Q1 2026, default pipeline", "movement",
     "/api/v1/reports/movement?from=2025-10-01&to=2025-12-31&closeFrom=2026-01-01&closeTo=2026-03-31&pipelineId={pipeline:main}",
     movement(D("2025-10-01"), D("2025-12-31"), D("2026-01-01"), D("2026-03-31"), pipe="main")),
    ("movement 2025-09 to now, Deniz", "movement",
     "/api/v1/reports/movement?from=2025-09-01&to=2026-03-10&closeFrom=2025-09-01&closeTo=2026-06-30&ownerId={user:deniz}",
     movement(D("2025-09-01"), D("2026-03-10"), D("2025-09-01"), D("2026-06-30"), owner="deniz")),
]


def main():
    out = {"about": "Generated by expected.py from story.json: do not edit by hand.",
           "queries": [{"name": n, "report": r, "url": u, "expect": e} for n, r, u, e in QUERIES]}
    (HERE / "expected.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
