// The console's pages behind the session gate: signed out, every address shows the sign-in page.
import { Button } from '@mantine/core';
import { IconMoodEmpty } from '@tabler/icons-react';
import { Link, Route, Routes } from 'react-router';
import { Empty, FullPageLoader } from './components/page.tsx';
import { Shell } from './components/shell.tsx';
import { useSession } from './lib/session.tsx';
import { AuditPage } from './pages/admin/audit.tsx';
import { TokensPage } from './pages/admin/tokens.tsx';
import { UsersPage } from './pages/admin/users.tsx';
import { ApiPage } from './pages/apis/api-page.tsx';
import { ApisPage } from './pages/apis/apis-page.tsx';
import { DeveloperPage } from './pages/developers/developer-page.tsx';
import { DevelopersPage } from './pages/developers/developers-page.tsx';
import { KeyValueMapsPage } from './pages/key-value-maps.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { ProductPage } from './pages/products/product-page.tsx';
import { ProductsPage } from './pages/products/products-page.tsx';
import { SignInPage } from './pages/sign-in.tsx';

function NotFound() {
  return (
    <Empty
      icon={<IconMoodEmpty aria-hidden />}
      title="There is no page here"
      description="The address may be mistyped, or what it pointed to was deleted."
      action={
        <Button component={Link} to="/">
          Go to the overview
        </Button>
      }
    />
  );
}

export function App() {
  const { state } = useSession();
  if (state.status === 'loading') return <FullPageLoader />;
  if (state.status === 'signed-out') return <SignInPage notice={state.notice} />;
  return (
    <Shell>
      <Routes>
        <Route path="/" element={<OverviewPage />} />
        <Route path="/apis" element={<ApisPage />} />
        <Route path="/apis/:name" element={<ApiPage />} />
        <Route path="/apis/:name/:tab" element={<ApiPage />} />
        <Route path="/products" element={<ProductsPage />} />
        <Route path="/products/new" element={<ProductPage />} />
        <Route path="/products/:name" element={<ProductPage />} />
        <Route path="/developers" element={<DevelopersPage />} />
        <Route path="/developers/:email" element={<DeveloperPage />} />
        <Route path="/key-value-maps" element={<KeyValueMapsPage />} />
        <Route path="/users" element={<UsersPage />} />
        <Route path="/tokens" element={<TokensPage />} />
        <Route path="/audit" element={<AuditPage />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Shell>
  );
}
