import type { Routes } from '@angular/router';
import { capabilityGuard, signedInGuard, signedOutGuard } from './core/auth.guards';
import { liveOnlyGuard } from './core/review.guard';

/**
 * Every page loads lazily: the initial bundle is the session check and the router.
 * Signed-in pages share one layout (header, environment switcher, navigation).
 */
export const routes: Routes = [
  {
    path: 'login',
    title: 'Sign in · Vigil',
    canActivate: [signedOutGuard],
    loadComponent: () => import('./features/login/login.component').then((m) => m.LoginComponent),
  },
  {
    path: '',
    canActivate: [signedInGuard],
    loadComponent: () => import('./features/layout/app-layout.component').then((m) => m.AppLayoutComponent),
    children: [
      {
        path: '',
        pathMatch: 'full',
        title: 'Vigil',
        canActivate: [liveOnlyGuard],
        loadComponent: () => import('./features/dashboard/dashboard-page.component').then((m) => m.DashboardPageComponent),
      },
      {
        path: 'services',
        title: 'Services · Vigil',
        canActivate: [liveOnlyGuard],
        loadComponent: () => import('./features/services/services.component').then((m) => m.ServicesComponent),
      },
      {
        path: 'alerts',
        title: 'Alerts · Vigil',
        loadComponent: () => import('./features/alerts/alerts-page.component').then((m) => m.AlertsPageComponent),
      },
      {
        path: 'alerts/rules',
        title: 'Alert rules · Vigil',
        canActivate: [liveOnlyGuard],
        loadComponent: () => import('./features/alert-rules/alert-rules-page.component').then((m) => m.AlertRulesPageComponent),
      },
      {
        path: 'approvals',
        title: 'Approvals · Vigil',
        canActivate: [liveOnlyGuard],
        loadComponent: () => import('./features/approvals/approvals-page.component').then((m) => m.ApprovalsPageComponent),
      },
      {
        path: 'audit',
        title: 'Audit · Vigil',
        canActivate: [capabilityGuard('audit.read')],
        loadComponent: () => import('./features/audit/audit-page.component').then((m) => m.AuditPageComponent),
      },
      {
        path: 'admin/users',
        title: 'Users · Vigil',
        canActivate: [liveOnlyGuard, capabilityGuard('users.manage')],
        loadComponent: () => import('./features/users/users-page.component').then((m) => m.UsersPageComponent),
      },
      {
        path: 'account',
        title: 'My account · Vigil',
        canActivate: [liveOnlyGuard],
        loadComponent: () => import('./features/account/account-page.component').then((m) => m.AccountPageComponent),
      },
      {
        path: 'hosts',
        title: 'Hosts · Vigil',
        canActivate: [liveOnlyGuard, capabilityGuard('hosts.manage')],
        loadComponent: () => import('./features/hosts/hosts-page.component').then((m) => m.HostsPageComponent),
      },
      {
        path: 'incidents',
        title: 'Incidents · Vigil',
        loadComponent: () => import('./features/incidents/incidents-page.component').then((m) => m.IncidentsPageComponent),
      },
      {
        path: 'incidents/:id',
        title: 'Incident · Vigil',
        loadComponent: () => import('./features/incidents/incident-page.component').then((m) => m.IncidentPageComponent),
      },
      {
        path: 'notifications',
        title: 'Notifications · Vigil',
        canActivate: [liveOnlyGuard],
        loadComponent: () => import('./features/notifications/notifications-page.component').then((m) => m.NotificationsPageComponent),
      },
      {
        path: 'replay',
        title: 'Replay · Vigil',
        canActivate: [capabilityGuard('replay')],
        loadComponent: () => import('./features/replay/replay-page.component').then((m) => m.ReplayPageComponent),
      },
    ],
  },
  { path: '**', redirectTo: '' },
];
