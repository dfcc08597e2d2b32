import KeyvRedis, { createClient, type RedisClientType } from '@keyv/redis';
import { Keyv } from 'keyv';
import type { SortedIndex, Store } from '../../relay/ports/store';
import { redisClaimKey, redisIndexKey } from '../../relay/ports/store-keys';
import { guard } from '../shared/guard';
import { RedisSortedIndex } from './redis-sorted-index';

const NAMESPACE = 'devin-slack';
const RELEASE_IF_OWNER =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
const RENEW_IF_OWNER =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
/** The longest a Redis command may take before the call fails (a paused or unreachable server). */
export const REDIS_COMMAND_TIMEOUT_MS = 1000;

/**
 * A store shared by several replicas. Claims are `SET NX PX`, releases and renewals compare the owner in one script.
 * Every command is bounded: one that Redis does not answer in time fails with a `StoreError`, whether it was still
 * waiting to be written (dropped by the client) or already sent to a server that stopped answering.
 */
export class RedisStore implements Store {
  readonly shared = true;

  private constructor(
    readonly client: RedisClientType,
    private readonly keyv: Keyv,
    private readonly where: string,
    readonly timeoutMs: number,
  ) {}

  static async connect(url: string, timeoutMs = REDIS_COMMAND_TIMEOUT_MS): Promise<RedisStore> {
    let connected = false;
    const where = url.replace(/\/\/[^@]*@/, '//***@');
    const client = createClient({
      url,
      // Commands not yet written when Redis is unreachable are dropped at the deadline instead of applied late.
      commandOptions: { timeout: timeoutMs },
      socket: {
        connectTimeout: 5000,
        // Give up at start-up (fail fast with the cause); once up, keep reconnecting.
        reconnectStrategy: (retries, cause) =>
          connected ? Math.min(retries * 200, 2000) : new Error(cause.message, { cause }),
      },
    }) as RedisClientType;
    client.on('error', () => {
      // Reported through the failing operation; the client reconnects by itself.
    });
    await guard('connect', where, () => client.connect(), 5000);
    connected = true;
    const adapter = new KeyvRedis(client, { namespace: NAMESPACE, throwOnErrors: true });
    return new RedisStore(
      client,
      new Keyv({ store: adapter, namespace: NAMESPACE, useKeyPrefix: false, throwOnErrors: true }),
      where,
      timeoutMs,
    );
  }

  /** Runs one call to Redis within the command deadline; every Redis call of the app goes through here. */
  run<T>(operation: string, key: string, work: () => Promise<T>): Promise<T> {
    return guard(operation, key, work, this.timeoutMs);
  }

  get<T>(key: string): Promise<T | undefined> {
    return this.run('get', key, () => this.keyv.get<T>(key));
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.run('set', key, () => this.keyv.set(key, value));
  }

  async delete(key: string): Promise<void> {
    await this.run('delete', key, () => this.keyv.delete(key));
  }

  claim(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.run('claim', key, async () => {
      const answer = await this.client.set(this.claimKey(key), owner, {
        condition: 'NX',
        expiration: { type: 'PX', value: ttlMs },
      });
      return answer === 'OK';
    });
  }

  claimed(key: string): Promise<boolean> {
    return this.run('claimed', key, async () => (await this.client.exists(this.claimKey(key))) > 0);
  }

  async release(key: string, owner: string): Promise<void> {
    await this.run('release', key, () =>
      this.client.eval(RELEASE_IF_OWNER, { keys: [this.claimKey(key)], arguments: [owner] }),
    );
  }

  renew(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.run('renew', key, async () => {
      const answer = await this.client.eval(RENEW_IF_OWNER, {
        keys: [this.claimKey(key)],
        arguments: [owner, String(ttlMs)],
      });
      return answer === 1;
    });
  }

  async ping(): Promise<void> {
    await this.run('ping', this.where, () => this.client.ping());
  }

  index(name: string): SortedIndex {
    return new RedisSortedIndex(this, this.key(redisIndexKey(name)));
  }

  async close(): Promise<void> {
    await guard(
      'close',
      this.where,
      async () => {
        if (this.client.isOpen) await this.client.close();
      },
      this.timeoutMs,
    ).catch(() => this.client.destroy());
  }

  /** The Redis key of a claim (for scripts that take claims together with other writes). */
  claimKey(key: string): string {
    return this.key(redisClaimKey(key));
  }

  /** The Redis key of a structure of this app's own (sorted sets, hashes). */
  key(name: string): string {
    return `${NAMESPACE}:${name}`;
  }
}
