/** The sandbox's group chat (the one the chat page shows). */
export const SANDBOX_CHAT = 'oc_sandbox_group';

/** A person in the sandbox group chat (the chat page lets you post as any of them). */
export interface SandboxUser {
  openId: string;
  name: string;
  admin: boolean;
}

/** The simulated users of the sandbox chat page; the admin is added to `config.admins` by the sandbox. */
export const SANDBOX_USERS: readonly SandboxUser[] = [
  { openId: 'ou_sandbox_wang000000000000000001', name: '小王', admin: false },
  { openId: 'ou_sandbox_li00000000000000000002', name: '小李', admin: false },
  { openId: 'ou_sandbox_admin0000000000000003', name: '管理员 Admin', admin: true },
];

export const SANDBOX_ADMIN_IDS: readonly string[] = SANDBOX_USERS.filter((u) => u.admin).map((u) => u.openId);

export function sandboxUser(openId: string): SandboxUser | undefined {
  return SANDBOX_USERS.find((u) => u.openId === openId);
}
