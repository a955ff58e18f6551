import { useEffect, useState } from 'react';
import { Link, NavLink, Navigate, Route, Routes, useNavigate } from 'react-router-dom';
import { normalizeTraceId } from './api';
import { ComparePage } from './pages/ComparePage';
import { MapPage } from './pages/MapPage';
import { SearchPage } from './pages/SearchPage';
import { TracePage } from './pages/TracePage';

type Theme = 'light' | 'dark';

function initialTheme(): Theme {
  const saved = localStorage.getItem('spanwise.theme');
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function App() {
  const [theme, setTheme] = useState<Theme>(initialTheme);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('spanwise.theme', theme);
  }, [theme]);
  return (
    <div className="app">
      <TopBar theme={theme} onTheme={() => setTheme(theme === 'dark' ? 'light' : 'dark')} />
      <main>
        <Routes>
          <Route path="/" element={<Navigate to="/search" replace />} />
          <Route path="/search" element={<SearchPage />} />
          <Route path="/trace/:traceId" element={<TracePage />} />
          <Route path="/map" element={<MapPage />} />
          <Route path="/compare/:a/:b" element={<ComparePage />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </main>
    </div>
  );
}

function TopBar({ theme, onTheme }: { theme: Theme; onTheme: () => void }) {
  const navigate = useNavigate();
  const [id, setId] = useState('');
  const [bad, setBad] = useState(false);
  return (
    <header className="topbar">
      <Link to="/search" className="brand">Spanwise</Link>
      <nav>
        <NavLink to="/search">Search</NavLink>
        <NavLink to="/map">Service map</NavLink>
      </nav>
      <form
        className="trace-lookup"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const t = normalizeTraceId(id);
          setBad(t === null);
          if (t) { navigate(`/trace/${t}`); setId(''); }
        }}
      >
        <input
          type="text"
          value={id}
          onChange={(e) => { setId(e.target.value); setBad(false); }}
          placeholder="Trace id"
          aria-label="Look up a trace by id"
          aria-invalid={bad}
          spellCheck={false}
        />
        <button type="submit">Open</button>
        {bad && <span className="form-error" role="alert">A trace id is 1 to 32 hex digits.</span>}
      </form>
      <button type="button" className="theme" onClick={onTheme} title="Switch light and dark theme">
        {theme === 'dark' ? 'Light theme' : 'Dark theme'}
      </button>
    </header>
  );
}

function NotFound() {
  return (
    <div className="notice empty page-pad">
      <h2>No such page</h2>
      <p><Link to="/search">Search traces</Link> or open the <Link to="/map">service map</Link>.</p>
    </div>
  );
}
