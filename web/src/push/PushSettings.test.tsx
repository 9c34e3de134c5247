import { screen, waitFor } from '@testing-library/react';
import { pushDevice } from '../shared/pushDevice';
import { ALICE } from '../test/fixtures';
import { renderWithApollo } from '../test/renderWithApollo';
import { PushPublicKeyQuery, RegisterPushSubscriptionMutation, UnregisterPushSubscriptionMutation } from './operations';
import { PushMenu } from './PushMenu';
import { BLOCKED_TEXT, PushSettings } from './PushSettings';
import { PREVIEW_KEY, SETTINGS_CACHE } from './previewSetting';

/*
 * jsdom has no service worker, Push API, notifications nor Cache storage: these stand in for the browser's (the
 * real ones are web/e2e/push.e2e.ts's), recording what the component asks of them.
 */
const KEY = 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM';
const ENDPOINT = 'https://push.example.com/send/abc';
const P256DH = 'BPcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM';
const AUTH = 'c2VjcmV0LWF1dGgtMTIz';

const fromB64 = (text: string) => Uint8Array.from(Buffer.from(text, 'base64url')).buffer;

class FakeSubscription {
  endpoint = ENDPOINT;
  options: { applicationServerKey: ArrayBuffer };
  unsubscribed = false;
  constructor(key: ArrayBuffer) {
    this.options = { applicationServerKey: key };
  }
  getKey(name: string) {
    return fromB64(name === 'p256dh' ? P256DH : AUTH);
  }
  async unsubscribe() {
    this.unsubscribed = true;
    browser.subscription = null;
    return true;
  }
}

const browser = {
  permission: 'default' as NotificationPermission,
  /** What the person answers when asked. */
  answer: 'granted' as NotificationPermission,
  asked: 0,
  subscribedWith: [] as string[],
  subscription: null as FakeSubscription | null,
  cache: new Map<string, string>(),
};

function installBrowser() {
  const pushManager = {
    getSubscription: async () => browser.subscription,
    subscribe: async (options: { applicationServerKey: Uint8Array }) => {
      browser.subscribedWith.push(Buffer.from(options.applicationServerKey).toString('base64url'));
      browser.subscription = new FakeSubscription(options.applicationServerKey.slice().buffer);
      return browser.subscription;
    },
  };
  const registration = { pushManager };
  Object.defineProperty(navigator, 'serviceWorker', {
    configurable: true,
    value: { getRegistration: async () => registration, ready: Promise.resolve(registration) },
  });
  Object.assign(window, {
    PushManager: function PushManager() {},
    Notification: {
      get permission() {
        return browser.permission;
      },
      requestPermission: async () => {
        browser.asked += 1;
        browser.permission = browser.answer;
        return browser.answer;
      },
    },
  });
  (globalThis as any).caches = {
    open: async (name: string) => ({
      match: async (key: string) => {
        const text = browser.cache.get(`${name} ${key}`);
        return text === undefined ? undefined : { json: async () => JSON.parse(text) };
      },
      put: async (key: string, response: { text(): Promise<string> }) => {
        browser.cache.set(`${name} ${key}`, await response.text());
      },
    }),
  };
  (globalThis as any).Response = class {
    constructor(private body: string) {}
    async text() {
      return this.body;
    }
  };
}

function removeBrowser() {
  delete (navigator as any).serviceWorker;
  delete (window as any).PushManager;
  delete (window as any).Notification;
  delete (globalThis as any).caches;
  delete (globalThis as any).Response;
}

const keyMock = (pushPublicKey: string | null) => ({
  request: { query: PushPublicKeyQuery },
  result: { data: { pushPublicKey } },
});
const registered: Array<Record<string, unknown>> = [];
const registerMock = {
  request: { query: RegisterPushSubscriptionMutation, variables: () => true },
  result: (variables: Record<string, unknown>) => {
    registered.push(variables);
    return { data: { registerPushSubscription: true } };
  },
  maxUsageCount: Number.POSITIVE_INFINITY,
};
const unregistered: string[] = [];
const unregisterMock = {
  request: { query: UnregisterPushSubscriptionMutation, variables: () => true },
  result: (variables: Record<string, unknown>) => {
    unregistered.push(variables.endpoint as string);
    return { data: { unregisterPushSubscription: true } };
  },
  maxUsageCount: Number.POSITIVE_INFINITY,
};
const mocks = (key: string | null = KEY) => [keyMock(key), registerMock, unregisterMock];

beforeEach(() => {
  Object.assign(browser, {
    permission: 'default',
    answer: 'granted',
    asked: 0,
    subscribedWith: [],
    subscription: null,
  });
  browser.cache.clear();
  registered.length = 0;
  unregistered.length = 0;
  window.localStorage.clear();
  installBrowser();
});
afterEach(removeBrowser);

describe('PushSettings', () => {
  it('asks for permission only from the click, subscribes with the server’s key and registers the subscription', async () => {
    const { user } = renderWithApollo(<PushSettings viewerId={ALICE.id} />, { mocks: mocks() });
    const enable = await screen.findByRole('button', { name: 'Enable notifications' });
    await waitFor(() => expect(enable).toHaveAttribute('aria-disabled', 'false')); // what this device holds is known
    expect(browser.asked).toBe(0);

    await user.click(enable);
    await screen.findByText(/On for this device/);
    expect(browser.asked).toBe(1);
    expect(browser.subscribedWith).toEqual([KEY]);
    expect(registered).toEqual([{ endpoint: ENDPOINT, p256dh: P256DH, auth: AUTH }]);
    expect(pushDevice.enabledFor()).toBe(ALICE.id);
    expect(screen.getByRole('checkbox', { name: 'Show message text in notifications' })).toBeChecked();
  });

  it('says so when the browser refuses, and registers nothing', async () => {
    browser.answer = 'denied';
    const { user } = renderWithApollo(<PushSettings viewerId={ALICE.id} />, { mocks: mocks() });
    const enable = await screen.findByRole('button', { name: 'Enable notifications' });
    await waitFor(() => expect(enable).toHaveAttribute('aria-disabled', 'false'));
    await user.click(enable);
    await screen.findByText(BLOCKED_TEXT);
    expect(screen.queryByRole('button', { name: 'Enable notifications' })).toBeNull();
    expect(browser.subscribedWith).toEqual([]);
    expect(registered).toEqual([]);
  });

  it('blocked since it was turned on: the subscription is ended here and on the server', async () => {
    browser.subscription = new FakeSubscription(fromB64(KEY));
    pushDevice.set(ALICE.id);
    browser.permission = 'denied';
    renderWithApollo(<PushSettings viewerId={ALICE.id} />, { mocks: mocks() });
    await screen.findByText(BLOCKED_TEXT);
    await waitFor(() => expect(unregistered).toEqual([ENDPOINT]));
    expect(browser.subscription).toBeNull();
    expect(pushDevice.enabledFor()).toBeNull();
  });

  it('on load, registers this person’s subscription again; ends one left by someone else', async () => {
    browser.permission = 'granted';
    browser.subscription = new FakeSubscription(fromB64(KEY));
    pushDevice.set(ALICE.id);
    const first = renderWithApollo(<PushSettings viewerId={ALICE.id} />, { mocks: mocks() });
    await screen.findByText(/On for this device/);
    await waitFor(() => expect(registered).toEqual([{ endpoint: ENDPOINT, p256dh: P256DH, auth: AUTH }]));
    first.unmount();

    renderWithApollo(<PushSettings viewerId="someone-else" />, { mocks: mocks() });
    await screen.findByRole('button', { name: 'Enable notifications' });
    await waitFor(() => expect(unregistered).toEqual([ENDPOINT]));
    expect(browser.subscription).toBeNull();
  });

  it('turns off: unsubscribes and unregisters', async () => {
    browser.permission = 'granted';
    browser.subscription = new FakeSubscription(fromB64(KEY));
    pushDevice.set(ALICE.id);
    const { user } = renderWithApollo(<PushSettings viewerId={ALICE.id} />, { mocks: mocks() });
    const turnOff = await screen.findByRole('button', { name: 'Turn off notifications' });
    await waitFor(() => expect(registered).toHaveLength(1)); // registered again on load first
    await user.click(turnOff);
    await screen.findByRole('button', { name: 'Enable notifications' });
    expect(unregistered).toEqual([ENDPOINT]);
    expect(browser.subscription).toBeNull();
    expect(pushDevice.enabledFor()).toBeNull();
  });

  it('keeps “Show message text in notifications” where the service worker reads it', async () => {
    browser.permission = 'granted';
    browser.subscription = new FakeSubscription(fromB64(KEY));
    pushDevice.set(ALICE.id);
    const { user } = renderWithApollo(<PushSettings viewerId={ALICE.id} />, { mocks: mocks() });
    const preview = await screen.findByRole('checkbox', { name: 'Show message text in notifications' });
    await waitFor(() => expect(preview).toBeEnabled());
    await user.click(preview);
    expect(preview).not.toBeChecked();
    await waitFor(() =>
      expect(browser.cache.get(`${SETTINGS_CACHE} ${PREVIEW_KEY}`)).toBe(JSON.stringify({ preview: false })),
    );
  });
});

describe('PushMenu', () => {
  it('is absent when the server has push off', async () => {
    const { cache } = renderWithApollo(<PushMenu viewerId={ALICE.id} />, { mocks: mocks(null) });
    await waitFor(() => expect(cache.readQuery({ query: PushPublicKeyQuery })).toEqual({ pushPublicKey: null }));
    expect(screen.queryByRole('button', { name: 'Notification settings' })).toBeNull();
  });

  it('is absent where the browser has no Web Push', async () => {
    delete (window as any).PushManager;
    const { cache } = renderWithApollo(<PushMenu viewerId={ALICE.id} />, { mocks: mocks() });
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByRole('button', { name: 'Notification settings' })).toBeNull();
    expect(cache.readQuery({ query: PushPublicKeyQuery })).toBeNull(); // not even asked
  });

  it('opens the settings under its button, and Escape closes them', async () => {
    const { user } = renderWithApollo(<PushMenu viewerId={ALICE.id} />, { mocks: mocks() });
    const toggle = await screen.findByRole('button', { name: 'Notification settings' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const enable = await screen.findByRole('button', { name: 'Enable notifications' });
    await waitFor(() => expect(enable).toHaveAttribute('aria-disabled', 'false'));
    await user.click(enable);
    await screen.findByText(/On for this device/);
    await user.keyboard('{Escape}');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(toggle).toHaveFocus();
  });
});
