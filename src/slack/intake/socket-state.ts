/**
 * Whether Socket Mode's connection to Slack is open: Slack said hello, and the socket has not closed since (the client
 * then reconnects by itself, or stops). The receiver sets it; readiness reads it.
 */
export class SocketState {
  open = false;
}
