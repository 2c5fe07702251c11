import { eventIdFor } from './event-id';

describe('eventIdFor', () => {
  it('is a version-5, RFC variant UUID, the same for the same key and different for another', () => {
    const id = eventIdFor('q2c:contract.activated:order-1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(eventIdFor('q2c:contract.activated:order-1')).toBe(id);
    expect(eventIdFor('q2c:contract.activated:order-2')).not.toBe(id);
  });
});
