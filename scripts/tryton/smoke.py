#!/usr/bin/env python3
"""Smoke test of the JSON-RPC calls Revgate's Tryton connector makes, against a running server
started by scripts/tryton/start.sh (and bootstrapped by bootstrap.py).

Standard library only (any python3 >= 3.8). Exits non-zero on the first failed expectation.
Every request/response is appended to a transcript (--transcript, default
/tmp/tryton-smoke-transcript.md) which is where the examples in NOTES.md come from.

    python3 scripts/tryton/smoke.py [--url http://127.0.0.1:8000] [--db revgate_tryton]
                                    [--password revgate-admin-pw] [--no-close-period]

Re-runnable: find-or-create by external reference (party code, invoice reference, move
description); every run uses a fresh run id for the records it must create anew.
It closes December of next year's fiscal year to prove the "closed period" error (and re-opens it afterwards).
"""
import argparse
import base64
import datetime
import json
import os
import sys
import time
import urllib.error
import urllib.request
from decimal import Decimal

# ----------------------------------------------------------------------------------------
# Tryton JSON-RPC codec: Decimal/date/datetime travel as {"__class__": ...} objects.


def encode(obj):
    if isinstance(obj, Decimal):
        return {'__class__': 'Decimal', 'decimal': str(obj)}
    if isinstance(obj, datetime.datetime):
        return {'__class__': 'datetime', 'year': obj.year, 'month': obj.month,
            'day': obj.day, 'hour': obj.hour, 'minute': obj.minute,
            'second': obj.second, 'microsecond': obj.microsecond}
    if isinstance(obj, datetime.date):
        return {'__class__': 'date', 'year': obj.year, 'month': obj.month, 'day': obj.day}
    raise TypeError(repr(obj))


def decode(dct):
    cls = dct.get('__class__')
    if cls == 'Decimal':
        return Decimal(dct['decimal'])
    if cls == 'date':
        return datetime.date(dct['year'], dct['month'], dct['day'])
    if cls == 'datetime':
        return datetime.datetime(dct['year'], dct['month'], dct['day'], dct['hour'],
            dct['minute'], dct['second'], dct['microsecond'])
    return dct


class RPCError(Exception):
    def __init__(self, status, error):
        super().__init__('HTTP %s %r' % (status, error))
        self.status = status
        self.error = error


class Client:
    def __init__(self, url, db, transcript):
        self.url = url.rstrip('/')
        self.db = db
        self.auth = None
        self.transcript = transcript
        self.seq = 0

    def raw(self, method, params, path=None, auth=None, body=None):
        """One POST; returns (http status, parsed body or text, elapsed ms)."""
        self.seq += 1
        payload = body if body is not None else json.dumps(
            {'id': self.seq, 'method': method, 'params': params}, default=encode)
        headers = {'Content-Type': 'application/json'}
        auth = self.auth if auth is None else auth
        if auth:
            headers['Authorization'] = auth
        url = '%s/%s/' % (self.url, self.db) if path is None else self.url + path
        req = urllib.request.Request(url, data=payload.encode(), headers=headers)
        t0 = time.monotonic()
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                status, text = r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read().decode(errors='replace')
        ms = (time.monotonic() - t0) * 1000
        try:
            data = json.loads(text, object_hook=decode)
        except ValueError:
            data = text
        self.record(url, headers, payload, status, text, ms)
        return status, data, ms

    def record(self, url, headers, payload, status, text, ms):
        if not self.transcript:
            return
        with open(self.transcript, 'a') as f:
            f.write('### %s  (HTTP %s, %.0f ms)\n' % (
                json.loads(payload).get('method') if payload.startswith('{') else '?',
                status, ms))
            f.write('POST %s\n' % url)
            if 'Authorization' in headers:
                f.write('Authorization: %s\n' % headers['Authorization'])
            f.write('> %s\n< %s\n\n' % (payload, text if len(text) < 3000
                else text[:3000] + '... (%d chars)' % len(text)))

    def call(self, method, *params):
        status, data, _ = self.raw(method, list(params))
        if status != 200 or not isinstance(data, dict) or 'error' in data:
            raise RPCError(status, data.get('error') if isinstance(data, dict) else data)
        return data['result']

    def call_ack(self, method, *params):
        """call(); on a UserWarning, acknowledge it once (what the desktop client does when
        the user clicks "Yes": create a res.user.warning named after the warning for this
        user, always=False = one-shot) and call again."""
        try:
            return self.call(method, *params)
        except RPCError as e:
            if not (isinstance(e.error, list) and e.error and e.error[0] == 'UserWarning'):
                raise
            name = e.error[1][0]
            print('     (acknowledging UserWarning %r: %s)' % (name, e.error[1][1]))
            self.call('model.res.user.warning.create',
                [{'user': self.user_id, 'name': name, 'always': False}], params[-1])
            return self.call(method, *params)

    def login(self, login, password):
        user_id, session = self.call('common.db.login', login, {'password': password}, 'en')
        token = base64.b64encode(('%s:%s:%s' % (login, user_id, session)).encode()).decode()
        self.auth = 'Session ' + token
        self.user_id = user_id
        return user_id, session


# ----------------------------------------------------------------------------------------

failures = []


def check(cond, msg):
    print(('ok   ' if cond else 'FAIL ') + msg, flush=True)
    if not cond:
        failures.append(msg)
        raise SystemExit('smoke test failed: ' + msg)


def expect_error(fn, *args):
    try:
        fn(*args)
    except RPCError as e:
        return e
    raise SystemExit('expected an error from %s%r' % (getattr(fn, '__name__', fn), args))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--url', default='http://127.0.0.1:%s' % os.environ.get('TRYTON_PORT', '8000'))
    parser.add_argument('--db', default=os.environ.get('TRYTON_DB', 'revgate_tryton'))
    parser.add_argument('--password', default=os.environ.get('TRYTON_ADMIN_PASSWORD', 'revgate-admin-pw'))
    parser.add_argument('--transcript', default='/tmp/tryton-smoke-transcript.md')
    parser.add_argument('--no-close-period', action='store_true')
    args = parser.parse_args()
    if args.transcript and os.path.exists(args.transcript):
        os.unlink(args.transcript)

    run = datetime.datetime.utcnow().strftime('%Y%m%d%H%M%S%f')
    # test/tryton/setup-database.ts creates the fiscal years of this year and the next
    Y = datetime.date.today().year
    N = Y + 1
    c = Client(args.url, args.db, args.transcript)

    # --- server / login -----------------------------------------------------------------
    status, data, _ = c.raw('common.server.version', [], path='/')
    check(status == 200 and data['result'].startswith('6.0.'), 'server version %s' % data)

    user_id, session = c.login('admin', args.password)
    check(isinstance(user_id, int) and isinstance(session, str), 'login -> [%s, <session>]' % user_id)

    # The user's preferences give the context the clients send with every call
    # (company, companies, language, ...). Send it as the last parameter.
    ctx = c.call('model.res.user.get_preferences', True, {})
    check(ctx.get('company'), 'context from get_preferences: %s' % ctx)
    company_id = ctx['company']
    company, = c.call('model.company.company.read', [company_id], ['currency', 'rec_name'], ctx)
    usd = company['currency']

    # --- party: find-or-create by code ----------------------------------------------------
    code = 'RG-CUST-0001'
    ids = c.call('model.party.party.search', [('code', '=', code)], 0, 1, None, ctx)
    if not ids:
        ids = c.call('model.party.party.create', [{
            'name': 'Acme Corp', 'code': code,
            'addresses': [['create', [{'street': '1 Market Street', 'city': 'San Francisco',
                'postal_code': '94105'}]]],
            'contact_mechanisms': [['create', [{'type': 'email', 'value': 'ap@acme.test'}]]],
            }], ctx)
    party_id = ids[0]
    party, = c.call('model.party.party.read', [party_id],
        ['name', 'code', 'addresses', 'account_receivable', 'rec_name'], ctx)
    check(party['code'] == code and party['addresses'], 'party %s' % party)
    # party.account_receivable is empty unless set per party; the invoice needs an account,
    # which the clients take from account.configuration (account_receivable_used is a
    # server-side property, not an RPC field).
    conf, = c.call('model.account.configuration.read', [1],
        ['default_account_receivable', 'default_account_payable',
         'default_customer_payment_term'], ctx)
    receivable = party['account_receivable'] or conf['default_account_receivable']
    check(receivable, 'account.configuration %s' % conf)
    # Without an explicit code, Tryton assigns one from the party sequence ("1", "2", ...)
    auto_id, = c.call('model.party.party.create', [{'name': 'No-code party %s' % run}], ctx)
    auto, = c.call('model.party.party.read', [auto_id], ['code', 'addresses'], ctx)
    check(auto['code'], 'party without code gets sequence code %r; addresses %r'
        % (auto['code'], auto['addresses']))
    # search_read = search + read in one call
    rows = c.call('model.party.party.search_read', [('code', '=', code)], 0, 10, None,
        ['id', 'name', 'code'], ctx)
    check(rows and rows[0]['id'] == party_id, 'search_read %s' % rows)
    # Duplicate code -> unique constraint error
    err = expect_error(c.call, 'model.party.party.create', [{'name': 'Dup', 'code': code}], ctx)
    check(err.error[0] == 'UserError', 'duplicate party code -> %s' % (err.error,))

    # --- product: template + variant with an account category ---------------------------
    cat_id, = c.call('model.product.category.search', [('name', '=', 'Revgate Services'),
        ('accounting', '=', True)], 0, 1, None, ctx)
    unit_id, = c.call('model.product.uom.search', [('symbol', '=', 'u')], 0, 1, None, ctx)
    pcode = 'RG-SKU-PLATFORM'
    prod_ids = c.call('model.product.product.search', [('code', '=', pcode)], 0, 1, None, ctx)
    if not prod_ids:
        tmpl_id, = c.call('model.product.template.create', [{
            'name': 'Platform subscription (monthly)', 'type': 'service',
            'default_uom': unit_id, 'list_price': Decimal('100.00'),
            'account_category': cat_id,
            'products': [['create', [{'suffix_code': pcode}]]],
            }], ctx)
        prod_ids = c.call('model.product.product.search', [('template', '=', tmpl_id)], 0, 1, None, ctx)
    product_id = prod_ids[0]
    product, = c.call('model.product.product.read', [product_id],
        ['code', 'template', 'list_price', 'account_category', 'rec_name'], ctx)
    category, = c.call('model.product.category.read', [product['account_category']],
        ['name', 'account_revenue', 'account_expense'], ctx)
    check(category['account_revenue'], 'product %s, category %s' % (product, category))
    revenue_account = category['account_revenue']

    # --- journals, accounts ----------------------------------------------------------------
    rev_journal, = c.call('model.account.journal.search', [('code', '=', 'REV')], 0, 1, None, ctx)
    misc_journal, = c.call('model.account.journal.search', [('code', '=', 'MISC')], 0, 1, None, ctx)
    cash_account, = c.call('model.account.account.search', [('name', '=', 'Main Cash'),
        ('company', '=', company_id)], 0, 1, None, ctx)
    net30, = c.call('model.account.invoice.payment_term.search', [('name', '=', 'Net 30')],
        0, 1, None, ctx)

    # --- customer invoice: create, post, read --------------------------------------------
    ref = 'RG-INV-%s' % run
    # Invoice numbering is strictly chronological per sequence (see the error check below),
    # so invoices are dated today (the setup creates fiscal years for this year and the next).
    inv_date = max(datetime.date.today(), datetime.date(Y, 1, 2))
    invoice_id, = c.call('model.account.invoice.create', [{
        'type': 'out', 'company': company_id, 'currency': usd,
        'party': party_id, 'invoice_address': party['addresses'][0],
        'account': receivable, 'journal': rev_journal,
        'payment_term': net30, 'invoice_date': inv_date,
        'reference': ref, 'description': 'Revgate smoke %s' % run,
        'lines': [['create', [{
            'type': 'line', 'company': company_id, 'currency': usd,
            'product': product_id, 'unit': unit_id, 'account': revenue_account,
            'description': 'Platform subscription March 2026',
            'quantity': 3.0, 'unit_price': Decimal('100.00'),
            }, {
            'type': 'line', 'company': company_id, 'currency': usd,
            'account': revenue_account, 'description': 'Onboarding (no product)',
            'quantity': 1.0, 'unit_price': Decimal('250.50'),
            }]]],
        }], ctx)
    draft, = c.call('model.account.invoice.read', [invoice_id],
        ['state', 'number', 'total_amount', 'reference'], ctx)
    check(draft['state'] == 'draft' and draft['number'] is None, 'draft invoice %s' % draft)
    c.call_ack('model.account.invoice.post', [invoice_id], ctx)
    inv, = c.call('model.account.invoice.read', [invoice_id], [
        'number', 'state', 'reference', 'invoice_date', 'untaxed_amount', 'tax_amount',
        'total_amount', 'amount_to_pay', 'move', 'lines', 'currency', 'party'], ctx)
    check(inv['state'] == 'posted' and inv['total_amount'] == Decimal('550.50')
        and '-INV-%d-' % Y in inv['number'], 'posted invoice %s' % inv)
    # find by our external reference
    found = c.call('model.account.invoice.search', [('reference', '=', ref),
        ('type', '=', 'out')], 0, 2, None, ctx)
    check(found == [invoice_id], 'invoice found by reference %s' % found)
    # Posted invoices cannot be deleted or edited
    err = expect_error(c.call, 'model.account.invoice.delete', [invoice_id], ctx)
    check(err.error[0] == 'UserError', 'delete posted invoice -> %s' % (err.error,))

    # Back-dated invoice after a later one in the same sequence -> UserError on post
    old_id, = c.call('model.account.invoice.create', [{
        'type': 'out', 'company': company_id, 'currency': usd, 'party': party_id,
        'invoice_address': party['addresses'][0], 'account': receivable,
        'journal': rev_journal, 'invoice_date': datetime.date(Y, 1, 1),
        'reference': 'RG-OLD-%s' % run,
        'lines': [['create', [{'type': 'line', 'company': company_id, 'currency': usd,
            'account': revenue_account, 'description': 'x', 'quantity': 1.0,
            'unit_price': Decimal('1.00')}]]],
        }], ctx)
    err = expect_error(c.call_ack, 'model.account.invoice.post', [old_id], ctx)
    check(err.error[0] == 'UserError', 'back-dated invoice -> %s' % (err.error,))
    c.call('model.account.invoice.delete', [old_id], ctx)

    # --- credit note 1: a new out invoice with negative quantity ---------------------------
    cn_id, = c.call('model.account.invoice.create', [{
        'type': 'out', 'company': company_id, 'currency': usd, 'party': party_id,
        'invoice_address': party['addresses'][0], 'account': receivable,
        'journal': rev_journal, 'payment_term': net30, 'invoice_date': inv_date,
        'reference': 'RG-CN-%s' % run,
        'lines': [['create', [{'type': 'line', 'company': company_id, 'currency': usd,
            'product': product_id, 'unit': unit_id, 'account': revenue_account,
            'description': 'Refund 1 month', 'quantity': -1.0,
            'unit_price': Decimal('100.00')}]]],
        }], ctx)
    c.call_ack('model.account.invoice.post', [cn_id], ctx)
    cn, = c.call('model.account.invoice.read', [cn_id],
        ['number', 'state', 'total_amount', 'type'], ctx)
    check(cn['state'] == 'posted' and cn['total_amount'] == Decimal('-100.00'),
        'credit note by negative quantity %s' % cn)

    # --- credit note 2: the "Credit" wizard (account.invoice.credit) over RPC -------------
    # Invoice.credit() itself is not RPC-exposed in 6.0; the wizard is: create a wizard session,
    # execute the "credit" state with the start form's values and the invoice as active record,
    # then delete the wizard session.
    wctx = dict(ctx, active_model='account.invoice', active_id=invoice_id,
        active_ids=[invoice_id])
    wiz_id, start_state, end_state = c.call('wizard.account.invoice.credit.create', ctx)
    result = c.call('wizard.account.invoice.credit.execute', wiz_id,
        {'start': {'with_refund': False, 'invoice_date': None}}, 'credit', wctx)
    c.call('wizard.account.invoice.credit.delete', wiz_id, ctx)
    credit_ids = result['actions'][0][1]['res_id']
    credit, = c.call('model.account.invoice.read', credit_ids,
        ['state', 'number', 'total_amount', 'lines'], ctx)
    check(credit['state'] == 'draft' and credit['total_amount'] == Decimal('-550.50'),
        'credit wizard -> draft credit note %s' % credit)
    c.call_ack('model.account.invoice.post', credit_ids, ctx)
    credit, = c.call('model.account.invoice.read', credit_ids,
        ['state', 'number', 'total_amount'], ctx)
    check(credit['state'] == 'posted' and '-CRN-%d-' % Y in credit['number'],
        'posted credit note %s' % credit)

    # --- supplier invoice ('in'): needs the payable account and the expense journal ------
    payable = conf['default_account_payable']
    exp_journal, = c.call('model.account.journal.search', [('code', '=', 'EXP')], 0, 1, None, ctx)
    bill_id, = c.call('model.account.invoice.create', [{
        'type': 'in', 'company': company_id, 'currency': usd, 'party': party_id,
        'invoice_address': party['addresses'][0], 'account': payable,
        'journal': exp_journal, 'payment_term': net30,
        'invoice_date': datetime.date(Y, 1, 15), 'reference': 'RG-BILL-%s' % run,
        'lines': [['create', [{'type': 'line', 'company': company_id, 'currency': usd,
            'account': category['account_expense'], 'description': 'hosting',
            'quantity': 1.0, 'unit_price': Decimal('42.00')}]]],
        }], ctx)
    c.call('model.account.invoice.post', [bill_id], ctx)
    bill, = c.call('model.account.invoice.read', [bill_id], ['state', 'number', 'total_amount'], ctx)
    check(bill['state'] == 'posted' and '-SUP-%d-' % Y in bill['number'],
        'supplier invoice posted %s' % bill)

    # --- the UserWarning round trip: customer invoice whose due date is in the past -------
    # (only 'out' invoices warn). payment_term_date moves the due date without breaking the
    # chronological numbering. post answers a UserWarning that must be acknowledged by
    # creating a res.user.warning (name = the warning key) before posting again.
    due_from = datetime.date(Y, 1, 1)
    late_id, = c.call('model.account.invoice.create', [{
        'type': 'out', 'company': company_id, 'currency': usd, 'party': party_id,
        'invoice_address': party['addresses'][0], 'account': receivable,
        'journal': rev_journal, 'payment_term': net30, 'invoice_date': inv_date,
        'payment_term_date': due_from, 'reference': 'RG-LATE-%s' % run,
        'lines': [['create', [{'type': 'line', 'company': company_id, 'currency': usd,
            'account': revenue_account, 'description': 'late', 'quantity': 1.0,
            'unit_price': Decimal('10.00')}]]],
        }], ctx)
    if due_from + datetime.timedelta(days=30) < datetime.date.today():
        err = expect_error(c.call, 'model.account.invoice.post', [late_id], ctx)
        check(err.error[0] == 'UserWarning', 'due date in the past -> %s' % (err.error,))
        c.call('model.res.user.warning.create',
            [{'user': c.user_id, 'name': err.error[1][0], 'always': False}], ctx)
    c.call('model.account.invoice.post', [late_id], ctx)
    late, = c.call('model.account.invoice.read', [late_id], ['state', 'number'], ctx)
    check(late['state'] == 'posted', 'posted after acknowledging the warning %s' % late)

    # --- journal entry: account.move with balanced lines, then post ---------------------
    mref = 'RG-JE-%s' % run
    # account.period.find() is not RPC-exposed (HTTP 403); search the standard period instead
    period_id, = c.call('model.account.period.search', [('company', '=', company_id),
        ('type', '=', 'standard'), ('start_date', '<=', datetime.date(Y, 3, 31)),
        ('end_date', '>=', datetime.date(Y, 3, 31))], 0, 1, None, ctx)
    move_id, = c.call('model.account.move.create', [{
        'company': company_id, 'journal': misc_journal, 'period': period_id,
        'date': datetime.date(Y, 3, 31), 'description': mref,
        'lines': [['create', [
            {'account': cash_account, 'debit': Decimal('120.00'), 'credit': Decimal('0'),
                'description': 'cash in'},
            {'account': revenue_account, 'debit': Decimal('0'), 'credit': Decimal('120.00'),
                'description': 'other revenue'},
            ]]],
        }], ctx)
    c.call_ack('model.account.move.post', [move_id], ctx)
    move, = c.call('model.account.move.read', [move_id],
        ['number', 'post_number', 'state', 'period', 'date', 'description'], ctx)
    check(move['state'] == 'posted', 'posted move %s' % move)
    # Unbalanced move: create works (draft), post fails
    bad_id, = c.call('model.account.move.create', [{
        'company': company_id, 'journal': misc_journal, 'period': period_id,
        'date': datetime.date(Y, 3, 31), 'description': mref + '-unbalanced',
        'lines': [['create', [
            {'account': cash_account, 'debit': Decimal('10.00'), 'credit': Decimal('0')},
            {'account': revenue_account, 'debit': Decimal('0'), 'credit': Decimal('9.00')},
            ]]],
        }], ctx)
    err = expect_error(c.call, 'model.account.move.post', [bad_id], ctx)
    check(err.error[0] == 'UserError', 'post unbalanced move -> %s' % (err.error,))
    c.call('model.account.move.delete', [bad_id], ctx)

    # --- fiscal years / periods ------------------------------------------------------
    years = c.call('model.account.fiscalyear.search_read', [('company', '=', company_id)],
        0, None, [('start_date', 'ASC')], ['name', 'start_date', 'end_date', 'state'], ctx)
    check(len(years) >= 2, 'fiscal years %s' % [(y['name'], y['state']) for y in years])
    periods = c.call('model.account.period.search_read', [
        ('company', '=', company_id), ('fiscalyear.start_date', '=', datetime.date(N, 1, 1)),
        ('type', '=', 'standard')],
        0, None, [('start_date', 'ASC')], ['name', 'start_date', 'end_date', 'state'], ctx)
    check(len(periods) == 12, 'periods %d: %s' % (N, [(p['name'], p['state']) for p in periods]))

    if not args.no_close_period:
        dec = periods[-1]
        # a period with draft moves cannot be closed
        nov = periods[-2]
        draft_move, = c.call('model.account.move.create', [{
            'company': company_id, 'journal': misc_journal, 'period': nov['id'],
            'date': nov['start_date'], 'description': 'draft-%s' % run,
            'lines': [['create', [
                {'account': cash_account, 'debit': Decimal('1'), 'credit': Decimal('0')},
                {'account': revenue_account, 'debit': Decimal('0'), 'credit': Decimal('1')},
                ]]]}], ctx)
        err = expect_error(c.call, 'model.account.period.close', [nov['id']], ctx)
        check(err.error[0] == 'UserError', 'close period with draft move -> %s' % (err.error,))
        c.call('model.account.move.delete', [draft_move], ctx)
        # close the (empty) period N-12
        c.call('model.account.period.close', [dec['id']], ctx)
        st, = c.call('model.account.period.read', [dec['id']], ['state'], ctx)
        check(st['state'] == 'close', 'period %s closed' % dec['name'])
        # an invoice dated in a closed period: create OK (draft), post fails
        closed_inv, = c.call('model.account.invoice.create', [{
            'type': 'out', 'company': company_id, 'currency': usd, 'party': party_id,
            'invoice_address': party['addresses'][0],
            'account': receivable, 'journal': rev_journal,
            'invoice_date': datetime.date(N, 12, 15), 'reference': 'RG-CLOSED-%s' % run,
            'lines': [['create', [{'type': 'line', 'company': company_id, 'currency': usd,
                'account': revenue_account, 'description': 'x', 'quantity': 1.0,
                'unit_price': Decimal('1.00')}]]],
            }], ctx)
        err = expect_error(c.call, 'model.account.invoice.post', [closed_inv], ctx)
        check(err.error[0] == 'UserError', 'post invoice into closed period -> %s' % (err.error,))
        # a move in a closed period: create already fails
        err = expect_error(c.call, 'model.account.move.create', [{
            'company': company_id, 'journal': misc_journal, 'period': dec['id'],
            'date': datetime.date(N, 12, 31), 'description': 'closed',
            'lines': [['create', [
                {'account': cash_account, 'debit': Decimal('1'), 'credit': Decimal('0')},
                {'account': revenue_account, 'debit': Decimal('0'), 'credit': Decimal('1')},
                ]]]}], ctx)
        check(err.error[0] == 'UserError', 'create move in closed period -> %s' % (err.error,))
        c.call('model.account.invoice.delete', [closed_inv], ctx)
        # re-open so the next run starts from the same state
        c.call('model.account.period.reopen', [dec['id']], ctx)
        st, = c.call('model.account.period.read', [dec['id']], ['state'], ctx)
        check(st['state'] == 'open', 'period %s re-opened' % dec['name'])

    # --- error shapes -------------------------------------------------------------------
    # (party.name is NOT required in 6.0: a party without name is accepted)
    err = expect_error(c.call, 'model.product.template.create',
        [{'name': 'No UoM %s' % run, 'type': 'service'}], ctx)
    check(err.status == 200 and err.error[0] == 'UserError',
        'missing required field -> %s' % (err.error,))
    err = expect_error(c.call, 'model.party.party.create', [{'name': 'x', 'no_such_field': 1}], ctx)
    check(True, 'unknown field -> %s' % (err.error,))
    err = expect_error(c.call, 'model.account.invoice.create', [{
        'type': 'out', 'company': company_id, 'currency': usd, 'party': party_id,
        'invoice_address': party['addresses'][0], 'account': receivable,
        'journal': rev_journal, 'lines': [['create', [{'type': 'line', 'company': company_id,
            'currency': usd, 'account': revenue_account, 'quantity': 1.0,
            'unit_price': 'abc'}]]]}], ctx)
    check(True, 'bad Numeric value -> %s' % (str(err.error)[:300],))
    err = expect_error(c.call, 'model.account.invoice.create', [{'type': 'out'}], ctx)
    check(err.error[0] == 'UserError', 'invoice without party -> %s' % (err.error,))
    err = expect_error(c.call, 'model.party.party.read', [10 ** 9], ['name'], ctx)
    check(True, 'read missing id -> %s' % (err.error,))
    err = expect_error(c.call, 'model.party.party.no_such_method', [], ctx)
    check(True, 'unknown method -> HTTP %s %s' % (err.status, str(err.error)[:200]))
    err = expect_error(c.call, 'model.no.such.model.search', [], 0, None, None, ctx)
    check(True, 'unknown model -> HTTP %s %s' % (err.status, str(err.error)[:200]))

    status, data, _ = c.raw('model.party.party.search', [[], 0, 1, None, {}],
        auth='Session ' + base64.b64encode(b'admin:1:not-a-session').decode())
    check(status == 401, 'bad session -> HTTP %s %r' % (status, str(data)[:200]))
    status, data, _ = c.raw('model.party.party.search', [[], 0, 1, None, {}], auth='')
    check(status == 401, 'no Authorization -> HTTP %s %r' % (status, str(data)[:200]))
    status, data, _ = c.raw('common.db.login', ['admin', {'password': 'wrong-password'}, 'en'],
        auth='')
    check(status == 401 or (isinstance(data, dict) and 'error' in data),
        'bad password -> HTTP %s %r' % (status, str(data)[:200]))
    status, data, _ = c.raw('common.db.login', ['admin', {}, 'en'], auth='')
    check(True, 'login without password -> HTTP %s %r' % (status, str(data)[:300]))
    status, data, _ = c.raw('common.db.login', ['admin', {'password': args.password}, 'en'],
        path='/no_such_db/', auth='')
    check(True, 'login to missing database -> HTTP %s %r' % (status, str(data)[:200]))

    # --- session end ----------------------------------------------------------------------
    check(c.call('common.db.logout') is None, 'logout')
    status, data, _ = c.raw('model.party.party.search', [[], 0, 1, None, {}])
    check(status == 401, 'after logout the session is refused -> HTTP %s' % status)

    print('smoke: all checks passed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
