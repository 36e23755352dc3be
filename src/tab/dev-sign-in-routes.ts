import type { Request, Response, Server } from 'restify';
import { AppError } from '../shared/errors';
import type { TabApiDependencies, TabFail } from './tab-api.types';
import { devSignInSchema, parseOr400 } from './tab-requests';
import { devTokenAnswer, devUsersAnswer } from './tab-responses';

/** Development only: sign in as anyone in the demo directory, with or without step-up. */
export function registerDevSignIn(
  server: Server,
  deps: TabApiDependencies,
  dev: NonNullable<TabApiDependencies['devSignIn']>,
  fail: TabFail,
): void {
  const limited = (req: Request, res: Response): boolean => {
    const byAddress = deps.limits.perAddress.take(`ip:${req.socket.remoteAddress ?? 'unknown'}`);
    if (byAddress.allowed) return false;
    fail(res, new AppError('TAB.RATE_LIMITED', 'address over limit'), byAddress.retryAfterSeconds);
    return true;
  };

  server.post('/api/tab/dev/sign-in', async (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    if (limited(req, res)) return;
    try {
      const body = parseOr400(devSignInSchema, req.body ?? {});
      const tenantId = (body.tenantId ?? dev.demoTenantId).toLowerCase();
      const aadObjectId = body.aadObjectId.toLowerCase();
      // Only people in the directory: the token would be refused later anyway.
      await deps.staff.resolveActor(tenantId, aadObjectId);
      const token = await dev.issuer.issue(tenantId, aadObjectId, body.stepUp ?? false);
      res.send(200, devTokenAnswer.parse({ token }));
    } catch (error) {
      fail(res, error);
    }
  });

  server.get('/api/tab/dev/users', async (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    if (limited(req, res)) return;
    try {
      const [school] = await deps.schools.listForTenant(dev.demoTenantId);
      const staff = school ? await deps.staff.listActiveStaff(school, 200) : [];
      res.send(200, devUsersAnswer.parse({ users: staff }));
    } catch (error) {
      fail(res, error);
    }
  });
}
