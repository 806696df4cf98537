import type { BotContext } from '../processes/chat-kit';
import type { DoorSql } from './delivery-ledger';
import type { Lifecycle } from '../platform/lifecycle';

/** The receiver's context: what every handler gets, plus the door's own connections for taking a delivery. */
export interface ChatContext extends BotContext {
  door: DoorSql;
  /** The process's way out: not ready once stopping, and what is in flight (absent in tests that build a context). */
  lifecycle?: Lifecycle;
}
