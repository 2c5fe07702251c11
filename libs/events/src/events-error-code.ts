/** Stable error codes of webhooks, their deliveries, signatures and the consumer inbox. */
export enum EventsErrorCode {
  /** 422: the URL is not one deliveries may go to (scheme, credentials, a private or reserved address) */
  WEBHOOK_URL_FORBIDDEN = 'WEBHOOK_URL_FORBIDDEN',
  /** 422: the URL's host name does not resolve, so where it points cannot be checked */
  WEBHOOK_URL_UNRESOLVABLE = 'WEBHOOK_URL_UNRESOLVABLE',
  /** 422: an event type (or wildcard) matches no event this app emits */
  WEBHOOK_EVENT_TYPE_UNKNOWN = 'WEBHOOK_EVENT_TYPE_UNKNOWN',
  /** 403: webhooks see every legal entity's events, so a token limited to some cannot use them */
  WEBHOOK_LEGAL_ENTITY_FORBIDDEN = 'WEBHOOK_LEGAL_ENTITY_FORBIDDEN',
  WEBHOOK_SUBSCRIPTION_NOT_FOUND = 'WEBHOOK_SUBSCRIPTION_NOT_FOUND',
  WEBHOOK_DELIVERY_NOT_FOUND = 'WEBHOOK_DELIVERY_NOT_FOUND',
  /** 409: replaying to a disabled subscription (enable it first) */
  WEBHOOK_SUBSCRIPTION_DISABLED = 'WEBHOOK_SUBSCRIPTION_DISABLED',
  /** 409: replaying a delivery whose subscription was deleted */
  WEBHOOK_SUBSCRIPTION_DELETED = 'WEBHOOK_SUBSCRIPTION_DELETED',
  /** 422: `from` is not before `to` */
  WEBHOOK_REPLAY_RANGE_INVALID = 'WEBHOOK_REPLAY_RANGE_INVALID',
  /** 422: the range holds more events than one replay may send (WEBHOOK_REPLAY_MAX_EVENTS) */
  WEBHOOK_REPLAY_TOO_LARGE = 'WEBHOOK_REPLAY_TOO_LARGE',
  /** 400: no Revgate-Signature header */
  WEBHOOK_SIGNATURE_MISSING = 'WEBHOOK_SIGNATURE_MISSING',
  /** 400: the header is not `t=<unix seconds>,v1=<hex>[,v1=<hex>…]` */
  WEBHOOK_SIGNATURE_MALFORMED = 'WEBHOOK_SIGNATURE_MALFORMED',
  /** 400: the signed timestamp is further from now than the tolerance (a replayed or delayed request) */
  WEBHOOK_SIGNATURE_TIMESTAMP_OUT_OF_TOLERANCE = 'WEBHOOK_SIGNATURE_TIMESTAMP_OUT_OF_TOLERANCE',
  /** 400: no v1 signature matches any of the receiver's secrets */
  WEBHOOK_SIGNATURE_MISMATCH = 'WEBHOOK_SIGNATURE_MISMATCH',
  /** 400: the signed body is not a canonical event envelope */
  WEBHOOK_EVENT_MALFORMED = 'WEBHOOK_EVENT_MALFORMED',
  /** 409: another delivery of the same event is being processed right now; retry shortly */
  INBOX_EVENT_IN_PROGRESS = 'INBOX_EVENT_IN_PROGRESS',
}
