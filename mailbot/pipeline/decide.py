"""decide: the head of service's reply to an objection — `[upheld]`, `[upheld #12 free]`, `[rejected]` — applied.

The rules are those of agent commands (mailbot.pipeline.command): the sender must prove to be the agent (the
signed reply address of the objection's notification, or a trusted Authentication-Results), only a head
decides, every tag is checked before anything is applied, and the head always hears what was done or why
nothing was. The head's own words (quotes removed) are the explanation the client receives. Upholding changes
the category of every time entry of that ticket in that period (mailbot.services.corrections), which makes the
period's statement due for an amendment; a rejection leaves the statement as it was.
"""
from __future__ import annotations

from mailbot.agents.auth import OBJECTION
from mailbot.agents.decisions import REJECTED, UPHELD, objection_ref, parse_decisions
from mailbot.agents.notices import notice
from mailbot.agents.quotes import reply_text
from mailbot.agents.tags import TagError
from mailbot.config.sections import Role
from mailbot.outbound.formats import formatters
from mailbot.outbound.mail import Mail
from mailbot.outbound.render import AUDIT_LANGUAGE, say
from mailbot.pipeline.command import verify
from mailbot.pipeline.persist import enqueue_without_ticket, store_message
from mailbot.services import corrections
from mailbot.store import objections as objection_rows
from mailbot.store.audit import add_event
from mailbot.tickets.vocabulary import Disposition, EventKind, ObjectionStatus


def run(ctx) -> None:
    """An agent's mail to the objections mailbox: check it all; persist applies it (see `persist`)."""
    ctx.actor = ctx.agent.email
    if ctx.token is not None and ctx.token.kind != OBJECTION:
        ctx.token = None  # a ticket's signed address proves nothing about an objection
    objection_id = ctx.token.ticket_id if ctx.token is not None else objection_ref(ctx.msg.subject)
    verdict = verify(ctx)
    if not verdict.ok:
        ctx.disposition = Disposition.FORGED_COMMAND
        ctx.objection = dict(kind="forged", id=objection_id)
        ctx.events.append((EventKind.SECURITY, f"decision in the name of {ctx.agent.email} on O-{objection_id} "
                                               f"refused: " + "; ".join(say(verdict.why, AUDIT_LANGUAGE))))
        ctx.mails.append(_to_head(ctx, objection_id, forged=True, errors=verdict.why))
        return
    row = objection_rows.by_id(ctx.conn, objection_id, lock=True) if objection_id is not None else None
    errors, decided, items = [], [], []
    if ctx.agent.role != Role.HEAD:
        errors.append(notice("decision-not-head"))
    elif row is None:
        errors.append(notice("decision-no-objection"))
    else:
        errors, decided, items = _check(ctx, row)
    if errors:
        ctx.disposition = Disposition.COMMAND_REFUSED
        ctx.objection = dict(kind="refused-decision", id=row.id if row is not None else None)
        ctx.events.append((EventKind.COMMAND_REFUSED, "; ".join(say(errors, AUDIT_LANGUAGE))))
        ctx.mails.append(_to_head(ctx, objection_id, errors=errors))
        return
    ctx.disposition = Disposition.DECISION
    explanation = reply_text(ctx.msg.text or "").strip()
    applied, plans = [], []
    for item, decision in decided:
        if decision.verdict == UPHELD:
            changes = corrections.plan(ctx.conn, row.client_id, item.ticket_id, decision.category, item.period)
            plans.append(changes)
            applied.append(notice("upheld", objection=row.id, ticket=item.ticket_id, category=decision.category))
            for change in changes:
                if change.billed and (change.entries or item.category != decision.category):
                    applied.append(notice("corrected", ticket=item.ticket_id, period=change.period,
                                          entries=len(change.entries), old=item.category or "-",
                                          new=decision.category))
        else:
            plans.append([])
            applied.append(notice("rejected", objection=row.id, ticket=item.ticket_id))
    ctx.objection = dict(kind="decision", row=row, decided=list(zip(decided, plans)), explanation=explanation)
    ctx.mails.append(Mail(Disposition.OBJECTION_DECISION, row.contact, lang=row.language, counted=False,
                          auto_submitted=None, thread=(row.message_id, [row.message_id] if row.message_id else []),
                          values=dict(objection=dict(ref=f"O-{row.id}", subject=row.subject), explanation=explanation,
                                      agent_name=ctx.agent.name, contact_name=row.contact_name,
                                      decided=[dict(ticket=i.ticket_id, ref=f"#{i.ticket_id}", verdict=d.verdict,
                                                    old=i.category, new=d.category, period=i.period)
                                               for i, d in decided],
                                      amended=any(c.billed and (c.entries or i.category != d.category)
                                                  for (i, d), changes in zip(decided, plans) for c in changes),
                                      still_open=len([i for i in items if i.outcome == ObjectionStatus.OPEN])
                                      > len(decided), **formatters(row.language, "EUR"))))
    if ctx.config.commands.confirm == "all":
        ctx.mails.append(_to_head(ctx, row.id, applied=applied))


def _check(ctx, row) -> tuple[list, list, list]:
    """The checks before anything is applied: (errors, [(item, decision)] for the items decided now, the items)."""
    client = ctx.config.client_by_id(row.client_id)
    try:
        decisions = parse_decisions(ctx.msg.subject, categories=ctx.config.plan_categories(client),
                                    original=row.subject)
    except TagError as exc:
        return list(exc.errors), [], []
    items = objection_rows.items_of(ctx.conn, row.id)
    by_ticket = {i.ticket_id: i for i in items}
    errors = [notice("decision-not-in-objection", objection=row.id, ticket=d.ticket) for d in decisions.items
              if d.ticket is not None and d.ticket not in by_ticket]
    errors += [notice("decision-already-decided", objection=row.id) for d in decisions.items
               if d.ticket in by_ticket and by_ticket[d.ticket].outcome != ObjectionStatus.OPEN][:1]
    if row.status == ObjectionStatus.REFUSED:
        return errors + [notice("decision-already-decided", objection=row.id)], [], items
    if not items:
        if any(d.verdict == UPHELD for d in decisions.items):
            errors.append(notice("decision-no-items", objection=row.id))
        elif row.status != ObjectionStatus.OPEN:
            errors.append(notice("decision-already-decided", objection=row.id))
        return errors, [], items
    decided = [(i, decisions.for_ticket(i.ticket_id)) for i in items if i.outcome == ObjectionStatus.OPEN]
    decided = [(i, d) for i, d in decided if d is not None]
    if not errors and not decided:
        errors.append(notice("decision-already-decided", objection=row.id))
    return errors, decided, items


def _to_head(ctx, objection_id, *, applied=(), errors=(), forged=False) -> Mail:
    """The head's answer (at their configured address, in their language): what was done, or why nothing was."""
    return Mail(Disposition.DECISION_RESULT, ctx.agent.email,
                lang=ctx.agent.language, counted=False, auto_submitted="auto-replied",
                values=dict(agent_name=ctx.agent.name, agent_subject=ctx.msg.subject, applied=list(applied),
                            errors=list(errors), objection=dict(ref=f"O-{objection_id}" if objection_id else None),
                            forged=forged, claimed_from=ctx.sender, envelope_from=ctx.envelope.mail_from or ""))


def persist(ctx) -> None:
    """Write the head's mail and, for a decision, every item decided, its corrections and the objection's status."""
    o, conn, now = ctx.objection, ctx.conn, ctx.now
    objection_id = o["row"].id if o["kind"] == "decision" else o.get("id")
    ctx.message_row = store_message(ctx, None, ctx.disposition, objection_id=objection_id)
    for kind, detail in ctx.events:
        add_event(conn, None, kind, detail, now, actor=ctx.actor, message_row=ctx.message_row)
    if o["kind"] == "decision":
        row = o["row"]
        for (item, decision), changes in o["decided"]:
            outcome = ObjectionStatus.UPHELD if decision.verdict == UPHELD else ObjectionStatus.REJECTED
            objection_rows.decide_item(conn, item.id, outcome, decision.category, o["explanation"], ctx.actor, now)
            add_event(conn, item.ticket_id, EventKind.OBJECTION_DECIDED, f"O-{row.id}: {outcome}" + (
                f", {item.category} -> {decision.category}" if decision.verdict == UPHELD else ""), now,
                actor=ctx.actor, message_row=ctx.message_row)
            if decision.verdict == UPHELD:
                corrections.apply(conn, row.client_id, item.ticket_id, decision.category, changes, actor=ctx.actor,
                                  now=now, objection_id=row.id, message_row=ctx.message_row)
                # the ticket's own category stays: the decision is about that month's billing (the head can tag it)
        outcomes = {i.outcome for i in objection_rows.items_of(conn, row.id)}
        status = (ObjectionStatus.OPEN if ObjectionStatus.OPEN in outcomes or not outcomes and not o["decided"]
                  else ObjectionStatus.UPHELD if outcomes == {ObjectionStatus.UPHELD}
                  else ObjectionStatus.REJECTED if outcomes <= {ObjectionStatus.REJECTED} else ObjectionStatus.PARTLY)
        if not outcomes:  # nothing disputed in particular: a rejection decides it
            status = ObjectionStatus.REJECTED
        objection_rows.set_status(conn, row.id, status, ctx.actor, now)
        add_event(conn, None, EventKind.OBJECTION_DECIDED, f"O-{row.id}: {status}", now, actor=ctx.actor,
                  message_row=ctx.message_row)
    enqueue_without_ticket(ctx, objection_id)


__all__ = ["REJECTED", "UPHELD", "persist", "run"]
