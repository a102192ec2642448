// Tells "the database cannot be reached right now" (stopped, restarting, network gone, no free
// connection in time) from every other error, so a request can answer 503 and be retried instead
// of reporting a bug.

/** Seconds a client is asked to wait (`Retry-After`) while the database is unavailable. */
export const RETRY_AFTER_SECONDS = 5;

/** SQLSTATEs of a server that is going away, starting up, or refusing connections. */
const UNAVAILABLE_STATES = new Set([
	'57P01', // admin_shutdown: pg_ctl stop, or the connection was terminated by an administrator
	'57P02', // crash_shutdown
	'57P03', // cannot_connect_now: starting up, shutting down, in recovery
	'53300' // too_many_connections
]);

/** Socket errors on the way to the database (only with a `syscall`: from a socket, not a library). */
const SOCKET_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'EPIPE',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENOTFOUND',
	'EAI_AGAIN'
]);

/** What node-postgres says when a connection ends, fails or cannot be had in time. */
const PG_MESSAGES = [
	'Connection terminated',
	'timeout exceeded when trying to connect',
	'is not queryable'
];

export function isDatabaseUnavailable(error: unknown): boolean {
	if (!(error instanceof Error)) {
		return false;
	}
	const { code, syscall } = error as { code?: unknown; syscall?: unknown };
	if (typeof code === 'string') {
		// Class 08: connection exceptions (including "the server closed the connection").
		if (UNAVAILABLE_STATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) {
			return true;
		}
		if (typeof syscall === 'string' && SOCKET_CODES.has(code)) {
			return true;
		}
	}
	// Node tries each address of a host name (127.0.0.1, ::1) and reports all the refusals at once.
	if (error instanceof AggregateError && error.errors.some(isDatabaseUnavailable)) {
		return true;
	}
	return PG_MESSAGES.some(
		(message) => error.message.startsWith(message) || error.message.endsWith(message)
	);
}
