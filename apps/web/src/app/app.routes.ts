import type { Routes } from '@angular/router';
import { signedInGuard, signedOutGuard } from './core/auth.guards';

/** Both pages load lazily: the initial bundle is the session check and the router. */
export const routes: Routes = [
  {
    path: 'login',
    title: 'Sign in · Vigil',
    canActivate: [signedOutGuard],
    loadComponent: () => import('./features/login/login.component').then((m) => m.LoginComponent),
  },
  {
    path: '',
    pathMatch: 'full',
    title: 'Vigil',
    canActivate: [signedInGuard],
    loadComponent: () => import('./features/shell/shell.component').then((m) => m.ShellComponent),
  },
  {
    path: 'services',
    title: 'Services · Vigil',
    canActivate: [signedInGuard],
    loadComponent: () => import('./features/services/services.component').then((m) => m.ServicesComponent),
  },
  { path: '**', redirectTo: '' },
];
