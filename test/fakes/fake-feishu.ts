// The tests' fake Feishu is the sandbox's Feishu emulator (src/chat/sandbox): one implementation of the wire
// protocol, so what the tests prove about it holds for what `npm start` shows in the browser.
export * from '../../src/chat/sandbox/feishu-wire';
export {
  DEFAULT_APP_ID,
  DEFAULT_APP_SECRET,
  DEFAULT_VERIFICATION_TOKEN,
  FeishuEmulator as FakeFeishu,
  type EmulatorOptions as FakeFeishuOptions,
  type EmulatedUser as FakeUser,
  type InjectedReply,
  type RecordedRequest,
  type RequestMatch,
  type SentMessage,
} from '../../src/chat/sandbox/feishu-emulator';
