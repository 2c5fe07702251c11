#!/usr/bin/python3
"""Bootstrap the accounting data Tryton 6.0 needs before invoices can be posted.

Idempotent: every record is looked up first and only created when missing, so a second run
changes nothing (it prints "nothing to do").

Uses proteus (Debian package tryton-proteus), Tryton's Python client, either in-process on the
database (default, needs the trytond config file; this is what start.sh does before it starts the
server) or over XML-RPC against a running server (--url http://admin:PASSWORD@127.0.0.1:8000/DB/).
Run it with Debian's /usr/bin/python3 (a pyenv/venv python has no trytond/proteus).

Creates, for the company "Revgate Demo Company" (currency USD):
  - currencies USD and EUR, each with a rate (USD 1.0, EUR 0.9) from 2020-01-01
  - party + company.company, set as the admin user's current and allowed company
  - chart of accounts from the "Minimal Account Chart" template (account.create_chart wizard),
    with Main Receivable / Main Payable as the default receivable/payable accounts
  - fiscal years 2026 and 2027 with monthly periods, a post-move sequence and strict invoice
    sequences (INV-YYYY-, CRN-YYYY-, SUP-YYYY-, SCN-YYYY-)
  - payment terms "Due on receipt" and "Net 30" (the default customer payment term)
  - a general journal "Miscellaneous" (MISC) for manual moves (Revenue/Expense/Cash exist already)
  - product category "Revgate Services" with revenue/expense accounts (also the defaults)
"""
import argparse
import datetime
import sys
import warnings
from decimal import Decimal

# passlib (imported by trytond) warns that the crypt module is deprecated; silence that noise.
with warnings.catch_warnings():
    warnings.simplefilter('ignore', DeprecationWarning)
    try:
        import passlib.utils  # noqa: F401
    except ImportError:
        pass

COMPANY_NAME = 'Revgate Demo Company'
YEARS = (2026, 2027)
CATEGORY_NAME = 'Revgate Services'

changes = []


def log(msg):
    changes.append(msg)
    print('[bootstrap] ' + msg, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--config', help='trytond config file (in-process mode)')
    parser.add_argument('--database', default='revgate_tryton')
    parser.add_argument('--url', help='XML-RPC mode: http://admin:PASSWORD@HOST:PORT/DB/')
    args = parser.parse_args()

    from proteus import config as pconfig
    if args.url:
        config = pconfig.set_xmlrpc(args.url)
    else:
        if not args.config:
            parser.error('--config or --url is required')
        config = pconfig.set_trytond(database=args.database, config_file=args.config)

    from proteus import Model, Wizard

    Currency = Model.get('currency.currency')
    Party = Model.get('party.party')
    Company = Model.get('company.company')
    User = Model.get('res.user')

    # --- currencies --------------------------------------------------------------------
    currencies = {}
    for code, name, symbol, rate in (
            ('USD', 'U.S. Dollar', '$', Decimal('1.0')),
            ('EUR', 'Euro', '€', Decimal('0.9'))):
        found = Currency.find([('code', '=', code)])
        if found:
            currency = found[0]
        else:
            currency = Currency(name=name, code=code, symbol=symbol,
                rounding=Decimal('0.01'), digits=2)
            currency.save()
            log('currency %s created (id %s)' % (code, currency.id))
        if not currency.rates:
            currency.rates.new(date=datetime.date(2020, 1, 1), rate=rate)
            currency.save()
            log('currency %s rate %s' % (code, rate))
        currencies[code] = currency

    # --- company -----------------------------------------------------------------------
    companies = Company.find([('party.name', '=', COMPANY_NAME)])
    if companies:
        company, = companies
    else:
        party = Party(name=COMPANY_NAME)
        party.save()
        # The company.company.config wizard creates the company and adds it to the
        # companies of every user (admin included), which a plain create would not.
        wiz = Wizard('company.company.config')
        wiz.execute('company')
        wiz.form.party = party
        wiz.form.currency = currencies['USD']
        wiz.execute('add')
        company, = Company.find([('party.name', '=', COMPANY_NAME)])
        log('company %r created (id %s)' % (COMPANY_NAME, company.id))
    admin, = User.find([('login', '=', 'admin')])
    if company not in admin.companies or admin.company != company:
        if company not in admin.companies:
            admin.companies.append(Company(company.id))
        admin.company = company
        admin.save()
        log('admin user company set to %s' % company.id)
    # Reload the context so that defaults (company, currency) follow the new company.
    config._context = User.get_preferences(True, {})

    # --- chart of accounts ------------------------------------------------------------
    Account = Model.get('account.account')
    AccountTemplate = Model.get('account.account.template')
    ModelData = Model.get('ir.model.data')

    def find_account(name):
        return Account.find([('company', '=', company.id), ('name', '=', name)])[0]

    if not Account.find([('company', '=', company.id)]):
        data, = ModelData.find([
                ('module', '=', 'account'), ('fs_id', '=', 'account_template_root_en')])
        template = AccountTemplate(data.db_id)
        wiz = Wizard('account.create_chart')
        wiz.execute('account')
        wiz.form.account_template = template
        wiz.form.company = company
        wiz.execute('create_account')
        wiz.form.account_receivable = find_account('Main Receivable')
        wiz.form.account_payable = find_account('Main Payable')
        wiz.execute('create_properties')
        log('chart of accounts created from "Minimal Account Chart"')

    receivable = find_account('Main Receivable')
    payable = find_account('Main Payable')
    revenue = find_account('Main Revenue')
    expense = find_account('Main Expense')

    Configuration = Model.get('account.configuration')
    configuration = Configuration(1)
    wanted = {
        'default_account_receivable': receivable,
        'default_account_payable': payable,
        'default_category_account_revenue': revenue,
        'default_category_account_expense': expense,
    }
    dirty = False
    for field, account in wanted.items():
        if getattr(configuration, field) != account:
            setattr(configuration, field, account)
            dirty = True
    if dirty:
        configuration.save()
        log('account configuration default accounts set')

    # --- fiscal years, periods, sequences ---------------------------------------------
    FiscalYear = Model.get('account.fiscalyear')
    Sequence = Model.get('ir.sequence')
    SequenceStrict = Model.get('ir.sequence.strict')
    SequenceType = Model.get('ir.sequence.type')
    move_type, = SequenceType.find([('name', '=', 'Account Move')], limit=1)
    invoice_type, = SequenceType.find([('name', '=', 'Invoice')], limit=1)

    def strict_sequence(name, prefix):
        found = SequenceStrict.find([('name', '=', name), ('company', '=', company.id)])
        if found:
            return found[0]
        seq = SequenceStrict(name=name, sequence_type=invoice_type, company=company,
            prefix=prefix, padding=5)
        seq.save()
        return seq

    for year in YEARS:
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        found = FiscalYear.find([('company', '=', company.id), ('start_date', '=', start)])
        if found:
            fiscalyear = found[0]
        else:
            move_seq = Sequence(name='Account Move %s' % year, sequence_type=move_type,
                company=company, prefix='MOV-%s-' % year, padding=5)
            move_seq.save()
            fiscalyear = FiscalYear(name=str(year), start_date=start, end_date=end,
                company=company, post_move_sequence=move_seq)
            # account_invoice adds one invoice_sequences line by default; fill it in.
            if fiscalyear.invoice_sequences:
                line = fiscalyear.invoice_sequences[0]
            else:
                line = fiscalyear.invoice_sequences.new()
            line.out_invoice_sequence = strict_sequence(
                'Customer Invoice %s' % year, 'INV-%s-' % year)
            line.out_credit_note_sequence = strict_sequence(
                'Customer Credit Note %s' % year, 'CRN-%s-' % year)
            line.in_invoice_sequence = strict_sequence(
                'Supplier Invoice %s' % year, 'SUP-%s-' % year)
            line.in_credit_note_sequence = strict_sequence(
                'Supplier Credit Note %s' % year, 'SCN-%s-' % year)
            fiscalyear.save()
            log('fiscal year %s created (id %s)' % (year, fiscalyear.id))
        if not fiscalyear.periods:
            fiscalyear.click('create_period')  # monthly periods
            fiscalyear.reload()
            log('fiscal year %s: %d periods created' % (year, len(fiscalyear.periods)))

    # --- payment terms -----------------------------------------------------------------
    PaymentTerm = Model.get('account.invoice.payment_term')
    terms = {}
    for name, days in (('Due on receipt', 0), ('Net 30', 30)):
        found = PaymentTerm.find([('name', '=', name)])
        if found:
            terms[name] = found[0]
            continue
        term = PaymentTerm(name=name)
        line = term.lines.new(type='remainder')
        if days:
            line.relativedeltas.new(days=days)
        term.save()
        terms[name] = term
        log('payment term %r created (id %s)' % (name, term.id))
    configuration = Configuration(1)
    if configuration.default_customer_payment_term != terms['Net 30']:
        configuration.default_customer_payment_term = terms['Net 30']
        configuration.save()
        log('default customer payment term: Net 30')

    # --- journals ----------------------------------------------------------------------
    Journal = Model.get('account.journal')
    if not Journal.find([('code', '=', 'MISC')]):
        revenue_journal, = Journal.find([('code', '=', 'REV')])
        journal = Journal(name='Miscellaneous', code='MISC', type='general')
        journal.sequence = revenue_journal.sequence
        journal.save()
        log('journal MISC created (id %s)' % journal.id)

    # --- product category with accounts -----------------------------------------------
    Category = Model.get('product.category')
    if not Category.find([('name', '=', CATEGORY_NAME)]):
        category = Category(name=CATEGORY_NAME, accounting=True)
        category.account_revenue = revenue
        category.account_expense = expense
        category.save()
        log('product category %r created (id %s)' % (CATEGORY_NAME, category.id))

    if not changes:
        print('[bootstrap] nothing to do: company %s, fiscal years %s ready'
            % (company.id, ', '.join(map(str, YEARS))))
    return 0


if __name__ == '__main__':
    sys.exit(main())
