package io.vigil.features.redis;

/**
 * The Lua script that makes one row's write atomic and last-writer-wins.
 *
 * <p>KEYS[1] = entity key. ARGV[1] = {@code _ts:<view>} field, ARGV[2] = the new serialized
 * google.protobuf.Timestamp, ARGV[3]/ARGV[4] = its seconds/nanos in decimal, ARGV[5] = TTL in ms (0
 * = none), ARGV[6..] = feature field/value pairs. Returns 1 when written, 0 when the stored {@code
 * _ts} is as new or newer (ties are skipped, as Feast does).
 *
 * <p>The stored {@code _ts} is decoded in Lua (varints of fields 1 and 2), so Redis holds only
 * Feast's own fields. Seconds and nanos are below 2^53, exact in Lua's doubles; event times before
 * 1970 are rejected by the writer because their varints are 10 bytes of two's complement.
 */
final class LwwWriteScript {
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
            local old = redis.call('HGET', KEYS[1], ARGV[1])
            if old then
              local s, n = decode_ts(old)
              if s == nil then
                return redis.error_reply('VIGIL_BAD_TS stored ' .. ARGV[1] .. ' is not a google.protobuf.Timestamp')
              end
              local new_s, new_n = tonumber(ARGV[3]), tonumber(ARGV[4])
              if new_s < s or (new_s == s and new_n <= n) then
                return 0
              end
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2], unpack(ARGV, 6))
            local ttl = tonumber(ARGV[5])
            if ttl > 0 then
              redis.call('PEXPIRE', KEYS[1], ttl)
            end
            return 1
            """;

    private LwwWriteScript() {}
}
