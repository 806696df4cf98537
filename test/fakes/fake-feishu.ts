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

/** The FEISHU_* settings that point a LawDesk process at `fake` as its Feishu app. */
export function feishuAppEnv(
  fake: { appId: string; appSecret: string; url: string; verificationToken: string },
  encryptKey: string,
) {
  return {
    FEISHU_APP_ID: fake.appId,
    FEISHU_APP_SECRET: fake.appSecret,
    FEISHU_DOMAIN: fake.url,
    FEISHU_ENCRYPT_KEY: encryptKey,
    FEISHU_VERIFICATION_TOKEN: fake.verificationToken,
  };
}
