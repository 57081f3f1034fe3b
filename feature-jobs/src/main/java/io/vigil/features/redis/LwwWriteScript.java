package io.vigil.features.redis;

/**
 * The Lua script that makes one entity write atomic and last-writer-wins, per group of fields.
 *
 * <p>KEYS[1] = entity key. ARGV[1] = TTL in ms (0 = none). Feast group: ARGV[2] = {@code
 * _ts:<view>} field ({@code ""} when the write has no Feast row), ARGV[3] = the row's serialized
 * google.protobuf.Timestamp, ARGV[4]/ARGV[5] = its seconds/nanos in decimal, ARGV[12..] = feature
 * field/value pairs. History group: ARGV[6] = {@code _vigil_ts:<view>} field ({@code ""} when the
 * write has no snapshot), ARGV[7..9] = the snapshot's as-of time like ARGV[3..5], ARGV[10] = {@code
 * _vigil_history:<view>} field, ARGV[11] = the encoded snapshot.
 *
 * <p>The Feast group is written only when its time is strictly newer than the stored {@code _ts}
 * (ties are skipped, as Feast does); the history group when its as-of time is at least the stored
 * {@code _vigil_ts} (ties overwrite: the job writes one snapshot per as-of time in normal flow, and
 * a rewrite at the same time after a late label holds strictly more). Both are compared in one
 * HMGET and written in one HSET; the TTL is refreshed when anything was written. Returns 1 × (Feast
 * group written) + 2 × (history group written).
 *
 * <p>Stored timestamps are decoded in Lua (varints of fields 1 and 2). Seconds and nanos are below
 * 2^53, exact in Lua's doubles; event times before 1970 are rejected by the writer because their
 * varints are 10 bytes of two's complement.
 */
final class LwwWriteScript {

    /** Bit of the script's reply: the Feast row was written. */
    static final long FEAST_WRITTEN = 1;

    /** Bit of the script's reply: the history snapshot was written. */
    static final long HISTORY_WRITTEN = 2;

    static final String SOURCE =
            """
            local function decode_ts(b)
              local s, n, i = 0, 0, 1
              while i <= #b do
                local tag = string.byte(b, i)
                i = i + 1
                local v, mul, c = 0, 1, 128
                while c >= 128 do
                  c = string.byte(b, i)
                  if c == nil then return nil end
                  i = i + 1
                  v = v + (c % 128) * mul
                  mul = mul * 128
                end
                if tag == 8 then s = v elseif tag == 16 then n = v else return nil end
              end
              return s, n
            end
            -- 1 if the time in ARGV[at + 2], ARGV[at + 3] beats the stored Timestamp old,
            -- 0 if not, nil if old is not a Timestamp.
            local function wins(old, at, ties)
              if not old then return 1 end
              local s, n = decode_ts(old)
              if s == nil then return nil end
              local new_s, new_n = tonumber(ARGV[at + 2]), tonumber(ARGV[at + 3])
              if new_s > s or (new_s == s and (new_n > n or (ties and new_n == n))) then
                return 1
              end
              return 0
            end
            local stored = redis.call('HMGET', KEYS[1], ARGV[2], ARGV[6])
            local feast, history = 0, 0
            if ARGV[2] ~= '' then
              feast = wins(stored[1], 2, false)
              if feast == nil then
                return redis.error_reply('VIGIL_BAD_TS stored ' .. ARGV[2] .. ' is not a google.protobuf.Timestamp')
              end
            end
            if ARGV[6] ~= '' then
              history = wins(stored[2], 6, true)
              if history == nil then
                return redis.error_reply('VIGIL_BAD_TS stored ' .. ARGV[6] .. ' is not a google.protobuf.Timestamp')
              end
            end
            -- One HSET per case: building a Lua table of the fields costs more than the branches.
            if feast == 1 and history == 1 then
              redis.call('HSET', KEYS[1], ARGV[6], ARGV[7], ARGV[10], ARGV[11], ARGV[2], ARGV[3], unpack(ARGV, 12))
            elseif feast == 1 then
              redis.call('HSET', KEYS[1], ARGV[2], ARGV[3], unpack(ARGV, 12))
            elseif history == 1 then
              redis.call('HSET', KEYS[1], ARGV[6], ARGV[7], ARGV[10], ARGV[11])
            else
              return 0
            end
            local ttl = tonumber(ARGV[1])
            if ttl > 0 then
              redis.call('PEXPIRE', KEYS[1], ttl)
            end
            return feast + 2 * history
            """;

    private LwwWriteScript() {}
}
