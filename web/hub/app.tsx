// The hub's pages and their addresses.
import { Route, Routes } from 'react-router';
import { RequireSignIn } from './components/require-sign-in.tsx';
import { Shell } from './components/shell.tsx';
import { AppPage } from './pages/app/app-page.tsx';
import { AppsPage } from './pages/apps.tsx';
import { AuthorizePage } from './pages/authorize.tsx';
import { CataloguePage } from './pages/catalogue.tsx';
import { NewAppPage } from './pages/new-app.tsx';
import { NotFoundPage } from './pages/not-found.tsx';
import { ProductPage } from './pages/product.tsx';
import { SignInPage, SignUpPage } from './pages/sign-in.tsx';

export function App() {
  return (
    <Shell>
      <Routes>
        <Route path="/" element={<CataloguePage />} />
        <Route path="/products/:name" element={<ProductPage />} />
        <Route path="/sign-in" element={<SignInPage />} />
        <Route path="/sign-up" element={<SignUpPage />} />
        <Route path="/authorize" element={<RequireSignIn><AuthorizePage /></RequireSignIn>} />
        <Route path="/apps" element={<RequireSignIn><AppsPage /></RequireSignIn>} />
        <Route path="/apps/new" element={<RequireSignIn><NewAppPage /></RequireSignIn>} />
        <Route path="/apps/:name" element={<RequireSignIn><AppPage /></RequireSignIn>} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Shell>
  );
}
