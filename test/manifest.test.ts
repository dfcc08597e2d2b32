import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { SEND_TO_DEVIN_SHORTCUT } from '../src/slack/views/send-to-devin-form';

// Slack's published manifest schema declares draft-07 and uses `definitions`, so the default Ajv class applies.
// It also carries non-standard keywords (e.g. `regex`), hence `strict: false`.

const root = join(__dirname, '..');
const manifestText = readFileSync(join(root, 'manifest.yml'), 'utf8');
const schema = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'slack-app-manifest.schema.json'), 'utf8'));

interface SlashCommand {
  command: string;
  description?: string;
  usage_hint?: string;
  url?: string;
  should_escape?: boolean;
}

interface Manifest {
  display_information: { name: string; description?: string; background_color?: string };
  features: {
    app_home?: Record<string, boolean>;
    bot_user: { display_name: string; always_online?: boolean };
    shortcuts?: Array<{ name: string; type: string; callback_id: string; description: string }>;
    slash_commands: SlashCommand[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url?: string };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

const EXPECTED_BOT_EVENTS = [
  'app_home_opened',
  'app_mention',
  'message.channels',
  'message.groups',
  'message.im',
  'message.mpim',
];

const EXPECTED_BOT_SCOPES = [
  'app_mentions:read',
  'channels:history',
  'groups:history',
  'im:history',
  'mpim:history',
  'chat:write',
  'commands',
  'reactions:write',
  'users:read',
  'users:read.email',
  'channels:read',
  'groups:read',
  'im:read',
  'mpim:read',
  'files:read',
  'files:write',
];

/** What the files need: downloading what people share (`url_private_download`), posting what Devin attaches. */
const SCOPE_FOR_FILES = ['files:read', 'files:write'];

/** The scope each bot event needs; `null`: none (app_home_opened needs only the bot user). */
const SCOPE_FOR_EVENT: Record<string, string | null> = {
  app_home_opened: null,
  app_mention: 'app_mentions:read',
  'message.channels': 'channels:history',
  'message.groups': 'groups:history',
  'message.im': 'im:history',
  'message.mpim': 'mpim:history',
};

/**
 * The bot scopes each Web API method the app calls needs (docs.slack.dev/reference/methods). A method missing here
 * fails the test below: add it with its scopes, and the manifest with them.
 */
const SCOPES_FOR_METHOD: Record<string, string[]> = {
  'auth.test': [],
  'chat.getPermalink': [],
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  // Accepts chat:write (or assistant:write, which Slack is retiring for it): channel threads need no assistant scope.
  'assistant.threads.setStatus': ['chat:write'],
  'reactions.add': ['reactions:write'],
  'reactions.remove': ['reactions:write'],
  'users.info': ['users:read'],
  'conversations.info': ['channels:read', 'groups:read'],
  'conversations.members': ['channels:read', 'groups:read', 'im:read', 'mpim:read'],
  'conversations.replies': ['channels:history', 'groups:history', 'im:history', 'mpim:history'],
  'views.open': [],
  'views.publish': [],
  'views.update': [],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
};

/** Scopes for what the app reads outside the Web API's methods: files, downloaded from `url_private_download`. */
function scopesBeyondMethods(): string[] {
  const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const sources = files.map((f) => readFileSync(join(root, 'src', f), 'utf8'));
  const downloads = sources.some((text) => text.includes('url_private_download'));
  // The person's email in `users.info` (to find their Devin account) needs a scope of its own.
  const emails = sources.some((text) => /profile\)?\?\.email\b/.test(text));
  return [...(downloads ? ['files:read'] : []), ...(emails ? ['users:read.email'] : [])];
}

/** Every Web API method called in `src/` (`client.chat.postMessage(`, across line breaks too). */
function methodsCalled(): string[] {
  const methods = new Set<string>();
  const call = /\bclient\s*\.\s*([a-z]+)\s*\.\s*([a-zA-Z]+)(?:\s*\.\s*([a-zA-Z]+))?\s*\(/g;
  const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    for (const m of readFileSync(join(root, 'src', file), 'utf8').matchAll(call)) {
      methods.add([m[1], m[2], m[3]].filter(Boolean).join('.'));
    }
  }
  return [...methods].sort();
}

function compileValidator(): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('\n');
}

function parseManifest(text: string): Manifest {
  return parse(text) as Manifest;
}

describe('manifest.yml', () => {
  const validate = compileValidator();
  const manifest = parseManifest(manifestText);

  it('uses the Ajv class matching the schema draft', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('validates against Slack app manifest schema', () => {
    const valid = validate(manifest);
    if (!valid) {
      throw new Error(`manifest.yml does not match the Slack manifest schema:\n${describeErrors(validate.errors)}`);
    }
    expect(valid).toBe(true);
  });

  it('describes the Devin app', () => {
    expect(manifest.display_information.name).toBe('Devin');
    expect(manifest.display_information.description).toBe('Steer Devin sessions from Slack threads');
    expect(manifest.features.bot_user).toEqual({ display_name: 'Devin', always_online: true });
  });

  it('has a background_color matching the schema regex (not checked by Ajv, the keyword is non-standard)', () => {
    const rule = schema.definitions['app-manifests.v1.display_information.schema'].properties.background_color;
    expect(typeof manifest.display_information.background_color).toBe('string');
    expect(manifest.display_information.background_color).toMatch(new RegExp(rule.regex));
  });

  it('declares the /devin slash command with a usage hint for every subcommand', () => {
    const commands = manifest.features.slash_commands;
    expect(commands).toHaveLength(1);
    const devin = commands.find((c) => c.command === '/devin');
    expect(devin).toBeDefined();
    expect(devin?.description).toBe('Start, link and message Devin sessions');
    // Escaped: a person picked with @ (`/devin allow`) arrives with their id.
    expect(devin?.should_escape).toBe(true);
    for (const sub of ['new', 'link', 'say', 'status', 'list', 'allow', 'deny', 'config', 'help', 'playbook', 'acu']) {
      expect(devin?.usage_hint).toMatch(new RegExp(`\\b${sub}\\b`));
    }
  });

  it('declares the Send to Devin message shortcut the app listens to', () => {
    expect(manifest.features.shortcuts).toEqual([
      {
        name: 'Send to Devin',
        type: 'message',
        callback_id: SEND_TO_DEVIN_SHORTCUT,
        description: expect.stringMatching(/\S/),
      },
    ]);
  });

  it('subscribes to exactly the bot events the app listens to', () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([...EXPECTED_BOT_EVENTS].sort());
  });

  it('requests exactly the bot scopes the app uses', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...EXPECTED_BOT_SCOPES].sort());
  });

  it('requests exactly the scopes that the Web API methods the app calls, its events and /devin need', () => {
    const methods = methodsCalled();
    expect(methods).toEqual(
      expect.arrayContaining(['chat.postMessage', 'assistant.threads.setStatus', 'reactions.add']),
    );
    expect(methods.filter((m) => !(m in SCOPES_FOR_METHOD))).toEqual([]);
    const needed = new Set([
      ...methods.flatMap((m) => SCOPES_FOR_METHOD[m] ?? []),
      ...manifest.settings.event_subscriptions.bot_events.flatMap((e) =>
        SCOPE_FOR_EVENT[e] === null ? [] : [SCOPE_FOR_EVENT[e] ?? `unknown event ${e}`],
      ),
      ...(manifest.features.slash_commands.length > 0 ? ['commands'] : []),
      ...scopesBeyondMethods(),
    ]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  it('has the scope each bot event needs', () => {
    for (const event of manifest.settings.event_subscriptions.bot_events) {
      expect(SCOPE_FOR_EVENT[event]).toBeDefined();
      const scope = SCOPE_FOR_EVENT[event];
      if (scope) expect(manifest.oauth_config.scopes.bot).toContain(scope);
    }
  });

  it('has the scopes files need both ways (download from Slack, upload into threads)', () => {
    for (const scope of SCOPE_FOR_FILES) expect(manifest.oauth_config.scopes.bot).toContain(scope);
  });

  it('enables the Home tab, and lets people message the app directly (a direct message starts a session)', () => {
    expect(manifest.features.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
  });

  it('enables interactivity and defaults to Socket Mode without request URLs', () => {
    const { settings } = manifest;
    expect(settings.interactivity.is_enabled).toBe(true);
    expect(settings.socket_mode_enabled).toBe(true);
    expect(settings.org_deploy_enabled).toBe(false);
    expect(settings.token_rotation_enabled).toBe(false);
    expect(settings.event_subscriptions.request_url).toBeUndefined();
    expect(settings.interactivity.request_url).toBeUndefined();
    for (const command of manifest.features.slash_commands) {
      expect(command.url).toBeUndefined();
    }
  });

  it('rejects a slash command without a description', () => {
    const broken = parseManifest(manifestText);
    delete broken.features.slash_commands[0].description;
    expect(validate(broken)).toBe(false);
    expect(validate.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ keyword: 'required', params: { missingProperty: 'description' } }),
      ]),
    );
  });

  it('rejects an unquoted background_color (YAML reads it as a comment, leaving null)', () => {
    const brokenText = manifestText.replace(/background_color: "(#[0-9a-fA-F]+)"/, 'background_color: $1');
    expect(brokenText).not.toBe(manifestText);
    const broken = parseManifest(brokenText);
    expect(broken.display_information.background_color).toBeNull();
    expect(validate(broken)).toBe(false);
    expect(validate.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ instancePath: '/display_information/background_color', keyword: 'type' }),
      ]),
    );
  });

  it('rejects an unknown top-level key', () => {
    expect(validate({ ...parseManifest(manifestText), unknown_section: {} })).toBe(false);
  });
});
