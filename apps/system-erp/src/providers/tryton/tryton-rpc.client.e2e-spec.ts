import { MoneyDecimal } from '@revgate/canonical';
import Decimal from 'decimal.js';
import { createServer, Server, Socket } from 'node:net';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { startTrytonServer, TrytonServer } from '../../../../../test/tryton/tryton-server';
import { TrytonDate } from './tryton-rpc.codec';
import { TrytonRpcClient } from './tryton-rpc.client';
import { TrytonRpcError, TrytonUserError } from './tryton-rpc.errors';

/** The 401 answers in trytond's request log. */
const unauthorizedIn = (logFile: string): number =>
  (readFileSync(logFile, 'utf8').match(/" 401 /g) ?? []).length;

/** The error a promise rejects with (fails the test when it resolves). */
async function failure(promise: Promise<unknown>): Promise<TrytonRpcError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TrytonRpcError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('TrytonRpcClient against a real Tryton 6.0', () => {
  let server: TrytonServer;
  let client: TrytonRpcClient;
  let company: number;

  beforeAll(async () => {
    // A short [session] timeout makes "post needs a fresh session" testable; max_attempt 1 makes
    // the 429 of too many failed logins come after three attempts instead of six slow ones.
    server = await startTrytonServer({ sessionTimeout: 2, maxAttempt: 1 });
    client = server.client();
    const [us01] = await client.search('company.company', [['party.code', '=', 'US01']]);
    company = us01!;
  }, 600_000);

  afterAll(async () => {
    await server.stop();
  });

  it('reads the server version without a session, then logs in with a company in the context', async () => {
    const anonymous = new TrytonRpcClient({
      url: server.url,
      database: server.database,
      login: 'nobody',
      password: 'irrelevant',
    });
    expect(await anonymous.serverVersion()).toMatch(/^6\.0\.\d+$/);
    expect(await client.login()).toBeGreaterThan(0);
    const context = await client.baseContext();
    expect(context.company).toBe(company);
    expect(context.language).toBe('en');
  });

  it('creates, searches, reads, writes and deletes, with decimals and dates intact', async () => {
    const code = `RPC-${Date.now()}`;
    const [partyId] = await client.create(
      'party.party',
      [
        {
          name: 'Codec Test',
          code,
          addresses: [['create', [{ street: '1 Main St', city: 'Springfield' }]]],
        },
      ],
      { company },
    );
    expect(await client.search('party.party', [['code', '=', code]])).toEqual([partyId]);
    await client.write('party.party', [partyId], { name: 'Codec Test 2' });
    const [party] = await client.read('party.party', [partyId], ['name', 'addresses.city']);
    expect(party).toMatchObject({ name: 'Codec Test 2', 'addresses.': [{ city: 'Springfield' }] });

    // A Numeric with every digit the field keeps (product list_price: 4 decimals), and a date.
    const [uom] = await client.search('product.uom', [['symbol', '=', 'u']]);
    const price = new MoneyDecimal('1234567.8901');
    const [templateId] = await client.create('product.template', [
      { name: `Codec ${code}`, type: 'service', default_uom: uom, list_price: price },
    ]);
    const [template] = await client.read(
      'product.template',
      [templateId],
      ['list_price', 'create_date'],
    );
    expect(Decimal.isDecimal(template.list_price)).toBe(true);
    expect((template.list_price as Decimal).equals(price)).toBe(true);

    const [usd] = await client.search('currency.currency', [['code', '=', 'USD']]);
    const day = new TrytonDate('2021-02-28');
    const [rateId] = await client.create('currency.currency.rate', [
      { currency: usd, date: day, rate: new MoneyDecimal('1.000001') },
    ]);
    const rates = await client.searchRead(
      'currency.currency.rate',
      [
        ['currency', '=', usd],
        ['date', '=', day],
      ],
      ['date', 'rate'],
    );
    expect(rates).toHaveLength(1);
    expect(rates[0].id).toBe(rateId);
    expect((rates[0].date as TrytonDate).iso).toBe('2021-02-28');
    expect((rates[0].rate as Decimal).toFixed()).toBe('1.000001');

    await client.delete('currency.currency.rate', [rateId]);
    await client.delete('product.template', [templateId]);
    await client.delete('party.party', [partyId]);
    expect(await client.searchCount('party.party', [['code', '=', code]])).toBe(0);
  });

  it('types what Tryton refuses: UserError, untyped server errors, methods not exposed', async () => {
    const code = `DUP-${Date.now()}`;
    await client.create('party.party', [{ name: 'First', code }]);
    const duplicate = await failure(client.create('party.party', [{ name: 'Second', code }]));
    expect(duplicate).toBeInstanceOf(TrytonUserError);
    expect(duplicate.kind).toBe('user');
    expect((duplicate as TrytonUserError).userMessage).toMatch(/code on party must be unique/);
    expect(await client.searchCount('party.party', [['code', '=', code]])).toBe(1);

    const unknownField = await failure(client.read('party.party', [1], ['no_such_field']));
    expect(unknownField.kind).toBe('server');
    expect(unknownField.status).toBeUndefined();

    const notExposed = await failure(client.call('model.account.period.find', [company]));
    expect(notExposed).toMatchObject({ kind: 'server', status: 403 });
  });

  it('logs in again once when a method needs a fresh session and the session went stale', async () => {
    // account.move.post is a fresh_session method: after [session] timeout (2 s here) of
    // inactivity Tryton answers 401 and deletes the session; the client logs in and repeats.
    const stale = server.client();
    const [misc] = await stale.search('account.journal', [['code', '=', 'MISC']]);
    const accounts = await stale.searchRead(
      'account.account',
      [
        ['company', '=', company],
        ['code', 'in', ['1000', '4000']],
      ],
      ['code'],
    );
    const today = new Date().toISOString().slice(0, 10);
    const [period] = await stale.search('account.period', [
      ['company', '=', company],
      ['type', '=', 'standard'],
      ['start_date', '<=', new TrytonDate(today)],
      ['end_date', '>=', new TrytonDate(today)],
    ]);
    const [moveId] = await stale.create(
      'account.move',
      [
        {
          company,
          journal: misc,
          period,
          date: new TrytonDate(today),
          description: `FRESH-${Date.now()}`,
          lines: [
            [
              'create',
              accounts.map((account) => ({
                account: account.id,
                debit: new MoneyDecimal(account.code === '1000' ? '5.00' : '0'),
                credit: new MoneyDecimal(account.code === '1000' ? '0' : '5.00'),
              })),
            ],
          ],
        },
      ],
      { company },
    );
    const firstUser = await stale.login();
    const refusalsBefore = unauthorizedIn(server.logFile);
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    await stale.execute('account.move', 'post', [moveId], { company });
    expect(unauthorizedIn(server.logFile)).toBe(refusalsBefore + 1);
    const [move] = await stale.read('account.move', [moveId], ['state']);
    expect(move.state).toBe('posted');
    expect(await stale.login()).toBe(firstUser);
  }, 30_000);

  it('refuses a wrong password (auth), then 429 after too many failed logins', async () => {
    const throwaway = (): TrytonRpcClient =>
      new TrytonRpcClient({
        url: server.url,
        database: server.database,
        login: `nobody-${process.pid}`,
        password: 'wrong-password',
      });
    const first = await failure(throwaway().login());
    expect(first).toMatchObject({ kind: 'auth', status: 401 });
    const kinds: string[] = [];
    for (let attempt = 0; attempt < 3; attempt++)
      kinds.push((await failure(throwaway().login())).kind);
    expect(kinds).toContain('rate_limited');
    expect(kinds.at(-1)).toBe('rate_limited');
    // Other logins are not affected.
    expect(await server.client().login()).toBeGreaterThan(0);
  }, 30_000);

  describe('transport failures', () => {
    let silent: Server;
    let port: number;
    const sockets: Socket[] = [];

    beforeAll(async () => {
      // Accepts connections and never answers: what a hung upstream looks like on the wire.
      silent = createServer((socket) => sockets.push(socket));
      silent.listen(0, '127.0.0.1');
      await once(silent, 'listening');
      const address = silent.address();
      port = typeof address === 'object' && address ? address.port : 0;
    });

    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      silent.close();
      await once(silent, 'close');
    });

    it('gives up after the call timeout, and reports a refused connection as transport', async () => {
      const hung = new TrytonRpcClient({
        url: `http://127.0.0.1:${port}`,
        database: 'x',
        login: 'admin',
        password: 'x',
        timeoutMs: 300,
        loginTimeoutMs: 300,
      });
      const timedOut = await failure(hung.login());
      expect(timedOut.kind).toBe('timeout');
      expect(timedOut.transient).toBe(true);

      const refused = new TrytonRpcClient({
        url: 'http://127.0.0.1:1',
        database: 'x',
        login: 'admin',
        password: 'x',
      });
      const error = await failure(refused.serverVersion());
      expect(error.kind).toBe('transport');
      expect(error.transient).toBe(true);
    });
  });
});
