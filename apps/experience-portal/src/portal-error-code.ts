/** Stable codes of the experience API. */
export enum PortalErrorCode {
  EXCEPTION_NOT_FOUND = 'PORTAL_EXCEPTION_NOT_FOUND',
  TRACE_NOT_FOUND = 'PORTAL_TRACE_NOT_FOUND',
  CUSTOMER_NOT_FOUND = 'PORTAL_CUSTOMER_NOT_FOUND',
  /** A process or system API the answer needs did not answer; try again after Retry-After. */
  UPSTREAM_UNAVAILABLE = 'PORTAL_UPSTREAM_UNAVAILABLE',
  /** A process or system API refused what the portal asked, for a reason the caller can fix. */
  UPSTREAM_REFUSED = 'PORTAL_UPSTREAM_REFUSED',
  WEB_UI_NOT_BUILT = 'PORTAL_WEB_UI_NOT_BUILT',
}
