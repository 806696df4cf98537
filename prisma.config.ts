import { defineConfig } from 'prisma/config';

// The CLI reads this for `prisma generate` (and `prisma migrate deploy` on a connected machine).
// At run time LawDesk applies prisma/migrations itself (lib/migrate.ts), so no URL is needed here.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/lawdesk' },
});
