import type { BotContext } from '../processes/chat-kit';
import type { DoorSql } from './delivery-ledger';

/** The receiver's context: what every handler gets, plus the door's own connections for taking a delivery. */
export interface ChatContext extends BotContext {
  door: DoorSql;
}
