"""A merged file's checks before its rows are decided: department and year, the signature
(who vouches for the file), and the printable sheet against the data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from sqlalchemy import Connection

from kplan_desktop.domain.catalog import Indicator
from kplan_desktop.domain.catalog_diff import indicator_changes
from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.generation import GenerationStatus
from kplan_desktop.domain.model import MissingReason, PlanSettings
from kplan_desktop.domain.validation import pasted_fraction
from kplan_desktop.domain.values import canonical
from kplan_desktop.exchange.catalog_json import loads
from kplan_desktop.exchange.merge_plan import MergePlan, PlannedRow, Trust
from kplan_desktop.exchange.payload import (
    RowOutcome,
)
from kplan_desktop.exchange.signing import (
    is_current,
    is_legacy,
    legacy_signed_text,
    legacy_verify,
    signed_message,
    verify,
)
from kplan_desktop.exchange.workbook_reader import (
    IncomingRow,
    IncomingWorkbook,
    Integrity,
    one_line,
)
from kplan_desktop.store.catalog_versions import catalog_content, generations_of_catalog
from kplan_desktop.store.generations import generation_record
from kplan_desktop.store.keys import departments_with_keys, legacy_secret, registered_key

_DISTRUSTED = (
    "署名で確認できないファイルのため、データベースと違う値は競合です",
    "the file's signature vouches for nothing, so a value differing from the database is a "
    "conflict",
)


def _distrust(plan: MergePlan) -> None:
    """A file nobody vouches for claims nothing: what would update a stored value conflicts."""
    if plan.trust is Trust.AS_READ:
        return
    if plan.trust is Trust.NONE:
        for row in plan.rows:
            if row.outcome is RowOutcome.UPDATED:
                row.outcome, row.reason_ja, row.reason_en = RowOutcome.CONFLICT, *_DISTRUSTED
    plan.evaluations = [
        replace(e, outcome=RowOutcome.CONFLICT, reason_ja=_DISTRUSTED[0], reason_en=_DISTRUSTED[1])
        if e.outcome is RowOutcome.UPDATED
        else e
        for e in plan.evaluations
    ]


def _check_signature(
    conn: Connection,
    workbook: IncomingWorkbook,
    indicators: Mapping[str, Indicator],
    file: str,
    accept_unsigned: bool,
) -> tuple[IncomingWorkbook, Trust]:
    """Who vouches for the file: the signature of a registered installation, or nobody.

    For a department with a registered key, only a file signed by one of its registered keys,
    unchanged since (data rows, evaluations and meta), passes as it is. A missing, wrong or
    foreign signature, a file from an unregistered database id and a template are refused whole
    unless the planning division accepts them explicitly (`accept_unsigned`); then nothing the
    file claims about revisions is believed. A key registered for another department, or rows
    of another department in a signed file, refuse the file always. For a department without a
    registered key, files pass as the reader judged them (and say that nothing was checked).
    """
    header = workbook.header
    guarded = workbook.department in departments_with_keys(conn)

    def untrusted(why_ja: str, why_en: str) -> tuple[IncomingWorkbook, Trust]:
        if not accept_unsigned:
            raise _one_line_error(
                "E_MERGE_SIGNATURE",
                f"{file}: {why_ja}。取り込みません（確認のうえ受け入れるには、取り込み確認の"
                "チェックか --accept-unsigned）",
                f"{file}: {why_en}; refused (to accept it after checking: the preview's checkbox "
                "or --accept-unsigned)",
            )
        accepted = _noted(
            workbook,
            f"{why_ja}。企画担当課の判断で受け入れました: データベースと違う値はすべて競合です",
            f"{why_en}; accepted by the planning division: every value that differs from the "
            "database is a conflict",
            integrity="edited" if workbook.header is not None else None,
        )
        return replace(accepted, evaluations_verified=False), Trust.NONE

    if header is None:
        if not guarded:
            return workbook, Trust.AS_READ
        return untrusted(
            f"{workbook.department} は鍵が登録されている課ですが、署名のないテンプレートです",
            f"{workbook.department} has a registered key, but this is an unsigned template",
        )
    key = registered_key(conn, header.database)
    if key is None:
        if guarded:
            return untrusted(
                f"登録されていない端末（データベースID {header.database[:40]}）の出力です",
                f"exported by an unregistered installation (database {header.database[:40]})",
            )
        if header.signature is None:
            return workbook, Trust.AS_READ
        return _noted(
            workbook,
            "署名を確認できません（この端末の鍵が未登録: kplan key import）",
            "Signature not checked: that installation's key is not registered",
        ), Trust.AS_READ
    if key.department != workbook.department:
        raise DomainError(
            "E_MERGE_SIGNER",
            f"{file}: {key.department} の端末の鍵で署名されていますが、{workbook.department} "
            "の提出になっています。取り込みません",
            f"{file}: signed with the key of {key.department}'s installation but claims to be "
            f"{workbook.department}'s submission; refused",
        )
    others = sorted({i.department for i in indicators.values()} - {key.department})
    if others:
        raise DomainError(
            "E_MERGE_SIGNER_ROWS",
            f"{file}: 署名した課（{key.department}）以外の指標の行があります（{others[0]}）。"
            "取り込みません",
            f"{file}: rows of another department ({others[0]}) than the signer's "
            f"({key.department}); refused",
        )
    signature = header.signature
    rows_intact = workbook.integrity in ("verified", "resaved")
    if signature is None:
        return untrusted("署名がありません", "the file carries no signature")
    if is_current(signature):
        if key.public_key is None:
            return untrusted(
                f"{key.department} の新しい鍵がまだ登録されていません（kplan key import）",
                f"{key.department}'s new key is not registered yet (kplan key import)",
            )
        if not verify(key.public_key, signed_message(header), signature):
            return untrusted(
                "署名が一致しません（出力後に書き換えられたか、別の鍵の署名です）",
                "the signature does not match (changed after export, or another key's)",
            )
        if not (rows_intact and workbook.evaluations_verified):
            return untrusted(*_changed_after_signing(workbook))
        return _noted(
            workbook,
            f"署名を確認しました（{key.department} の端末から出力、変更なし）",
            f"Signature verified: exported by {key.department}'s installation, unchanged",
        ), Trust.AS_READ
    if key.public_key is not None:
        # The department signs with its Ed25519 key now: an HMAC of the previous release is
        # what a leaked (or planted) old secret could still make, so it vouches for nothing.
        return untrusted(
            f"以前の版の署名（HMAC）ですが、{key.department} には新しい鍵が登録済みです",
            f"a previous-release signature (HMAC), but {key.department} has its new key registered",
        )
    secret = legacy_secret(conn, header.database) if is_legacy(signature) else None
    message = legacy_signed_text(
        workbook.department, workbook.fiscal_year, header.database, header.payload_sha256
    )
    if secret is None or not rows_intact or not legacy_verify(secret, message, signature):
        return untrusted("署名が一致しません", "the signature does not match")
    noted = _noted(
        workbook,
        f"以前の版の署名（HMAC）を確認しました（{key.department}、移行期間のみ）。施策評価と"
        "確定の状態は署名されていないため、施策評価の違いはすべて競合です",
        f"Previous-release signature (HMAC) verified ({key.department}; transition release "
        "only). It does not cover the evaluations or the finalised state: every differing "
        "evaluation is a conflict",
    )
    return replace(noted, evaluations_verified=False), Trust.NO_EVALUATIONS


def _changed_after_signing(workbook: IncomingWorkbook) -> tuple[str, str]:
    """Why a signed file no longer matches its signature, naming the data cells that differ from
    the printable 提出 sheet (data C3 80 where 提出 I6 shows 72) where they can be found."""
    ja, en = "署名のあとで", "changed after signing: "
    parts_ja: list[str] = []
    parts_en: list[str] = []
    if workbook.integrity == "edited":
        places = workbook.edited_places
        if places:
            named = places[:_NAMED]
            more = len(places) - len(named)
            parts_ja.append(
                f"データシートが書き換えられています（{len(places)}か所: "
                + "、".join(p for p, _ in named)
                + (f"、ほか{more}か所" if more else "")
                + "）"
            )
            parts_en.append(
                f"the data sheet ({_cells(len(places))}: "
                + "; ".join(p for _, p in named)
                + (f"; {more} more" if more else "")
                + ")"
            )
        else:
            parts_ja.append(
                "データシートが書き換えられています（どのセルかは特定できません: 「提出」シートとの"
                "比較では違いが見つかりません）"
            )
            parts_en.append(
                "the data sheet (which cell cannot be told: comparing it with the 提出 sheet "
                "finds no difference)"
            )
    if not workbook.evaluations_verified:
        parts_ja.append("施策評価が書き換えられています")
        parts_en.append("the measure evaluations")
    if not parts_ja:
        return "署名のあとでデータまたは施策評価が書き換えられています", (
            "the data or the evaluations were changed after signing"
        )
    return ja + "、".join(parts_ja), en + " and ".join(parts_en)


def _check_visible(workbook: IncomingWorkbook, trust: Trust, file: str) -> IncomingWorkbook:
    """The 提出 sheet people read must show what the data sheet (what is signed and merged)
    holds. The reader compared them once (printable_differences) and said each difference on
    its row; here a file whose data is as exported (verified or re-saved) and believed as read
    is refused whole, naming every cell that differs (sheet, cell, what it shows now, what the
    data holds): it would be merged as its signature or checksum vouches while people read
    other values. A file merged row by row (its data edited, or accepted without a valid
    signature) has each difference on its row already, and a note naming them all."""
    differences = workbook.visible_differences
    if not differences:
        return workbook
    named = differences[:_NAMED]
    more = len(differences) - len(named)
    what_ja = (
        f"提出シートの表示がデータと違います（{len(differences)}か所: "
        + "、".join(d.text_ja for d in named)
        + (f"、ほか{more}か所" if more else "")
        + "）"
    )
    what_en = (
        f"the 提出 sheet shows other values than its data ({_cells(len(differences))}: "
        + "; ".join(d.text_en for d in named)
        + (f"; {more} more" if more else "")
        + ")"
    )
    if trust is Trust.NONE or workbook.integrity not in ("verified", "resaved"):
        return _noted(workbook, what_ja, what_en)
    raise _one_line_error(
        "E_MERGE_VISIBLE",
        f"{file}: {what_ja}。ファイルが出力後に書き換えられています。取り込みません"
        "（値は kplan で入力し直して書き出してください）",
        f"{file}: {what_en}; the file was changed after export; refused (enter the values in "
        "kplan and export again)",
    )


def _cells(count: int) -> str:
    return f"{count} cell" if count == 1 else f"{count} cells"


# A refusal names this many cells, then counts the rest.
_NAMED = 50


def _noted(
    workbook: IncomingWorkbook, ja: str, en: str, *, integrity: Integrity | None = None
) -> IncomingWorkbook:
    return replace(
        workbook,
        integrity=integrity or workbook.integrity,
        notes_ja=[*workbook.notes_ja, ja],
        notes_en=[*workbook.notes_en, en],
    )


def _one_line_error(code: str, message_ja: str, message_en: str) -> DomainError:
    return DomainError(code, one_line(message_ja), one_line(message_en))


def _check_file(
    settings: PlanSettings, departments: frozenset[str], workbook: IncomingWorkbook, file: str
) -> None:
    if workbook.department not in departments:
        raise _one_line_error(
            "E_MERGE_DEPARTMENT",
            f"{file}: 課コード {workbook.department[:40]} はカタログにありません",
            f"{file}: department {workbook.department[:40]} is not in the catalog",
        )
    if not settings.in_period(workbook.fiscal_year):
        raise _one_line_error(
            "E_MERGE_YEAR",
            f"{file}: {workbook.fiscal_year}年度は計画期間"
            f"（{settings.start_year}〜{settings.end_year}年度）の外です",
            f"{file}: FY{workbook.fiscal_year} is outside the plan period",
        )


def _rejected(row: IncomingRow, ja: str, en: str) -> PlannedRow:
    return PlannedRow(
        row, RowOutcome.REJECTED, one_line(ja), one_line(en), file_value=_file_text(row)
    )


def _file_text(row: IncomingRow) -> str | None:
    if row.value_text is not None:
        return row.value_text
    if row.missing_reason is not None:
        try:
            return MissingReason(row.missing_reason).label_ja
        except ValueError:
            return row.missing_reason
    return None


def pasted_fraction_refusal(indicator: Indicator, row: IncomingRow) -> tuple[str, str] | None:
    """A % indicator's value cell holding a bare number from 0 to 1 (domain/validation): 0.9%
    or a pasted 90%? Refused, naming the cell and what to type instead."""
    if not row.bare_number or row.value_text is None:
        return None
    try:
        number = Decimal(row.value_text)
    except ArithmeticError:
        return None
    if not pasted_fraction(indicator.effective_value_kind, number):
        return None
    value = canonical(number)
    meant = canonical(number * 100)
    return (
        f"{row.value_place_ja} には数値 {value} が入っています（値の貼り付けなど）。"
        f"{value}% なのか {meant}%（{value} を%表示したもの）なのか決められないため取り込みません。"
        f"文字で「{meant}」または「{value}%」と入力し直してください",
        f"{row.value_place_en} holds the number {value} (pasted as a value?): it cannot be told "
        f"whether {value}% or {meant}% ({value} shown as a percentage) was meant; not merged: "
        f"type {meant} or {value}% again",
    )


def explain_catalog_changes(
    conn: Connection, plan: MergePlan, file_hash: str, indicators: Mapping[str, Indicator]
) -> None:
    """A file made under an earlier catalog: say, on each row whose indicator changed since,
    what changed (a new target grades the same value differently). A catalog this database
    never held is explained once, for the whole file (_file_notes)."""

    content = catalog_content(conn, plan.generation, file_hash)
    if content is None:
        return
    try:
        then = {i.code: i for _, _, _, i in loads(content).indicators()}
    except DomainError:
        return
    for row in plan.rows:
        code = row.incoming.indicator
        before, now_ = then.get(code), indicators.get(code)
        if before is None or now_ is None:
            continue
        changes = indicator_changes(before, now_)
        if not changes:
            continue
        ja = "、".join(f"{c.label} {c.old or '未設定'}→{c.new or '未設定'}" for c in changes)
        en = ", ".join(f"{c.field} {c.old or '-'}→{c.new or '-'}" for c in changes)
        row.reason_ja = "；".join(
            x for x in (row.reason_ja, f"ファイルの作成後にカタログが変更（{ja}）") if x
        )
        row.reason_en = "; ".join(
            x for x in (row.reason_en, f"catalog changed since the file ({en})") if x
        )


def check_generation(conn: Connection, workbook: IncomingWorkbook, file: str) -> None:
    """The plan generation a file names must take values, and be the one it was made for.

    Refused whole, nothing read in: a closed generation (its final evaluation written), a draft
    not yet in force (its catalog may still change, and values would pin it), and a file whose
    catalog is another generation's (the generation cell relabelled: the same code means
    another indicator there)."""
    number = workbook.generation
    found = generation_record(conn, number)
    name = "" if found is None else found.generation.name[:60]
    if found is not None and found.status is GenerationStatus.CLOSED:
        raise _one_line_error(
            "E_GENERATION_CLOSED",
            f"{file}: 第{number}期（{name}）は終了しています（最終評価済み）。"
            "終了した計画期には取り込めません。何も取り込みません",
            f"{file}: plan generation {number} ({name}) is closed (final evaluation written) "
            "and takes no values; nothing was merged",
        )
    if found is not None and found.status is GenerationStatus.DRAFT:
        raise _one_line_error(
            "E_GENERATION_NOT_ACTIVE",
            f"{file}: 第{number}期（{name}）はまだ準備中で、始まっていません。計画期を開始して"
            f"から取り込んでください（kplan generation activate {number}）。何も取り込みません",
            f"{file}: plan generation {number} ({name}) is a draft not yet in force; activate it "
            f"first (kplan generation activate {number}); nothing was merged",
        )
    owners = generations_of_catalog(conn, workbook.catalog_hash) if workbook.catalog_hash else []
    if owners and number not in owners:
        raise _one_line_error(
            "E_GENERATION_MISMATCH",
            f"{file}: 第{number}期のファイルとなっていますが、作成に使われたカタログは"
            f"第{owners[0]}期のものです（計画期が書き換えられた可能性があります。同じ指標コード"
            "でも計画期が違えば別の指標です）。何も取り込みません",
            f"{file}: the file says plan generation {number}, but the catalog it was made with is "
            f"generation {owners[0]}'s (the generation was changed? the same code means another "
            "indicator in another generation); nothing was merged",
        )
